import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { PsfAttribution } from '../../../components/psf-attribution';
import { failureOf } from '../../../lib/api/errors';
import { needsSecondFactor, useSession } from '../../../lib/auth/session';
import { saveTextFile } from '../../../lib/download';
import { useFramework, useSavedSelfAssessment } from '../api/self-assessment';
import { AccountCopy } from '../components/account-copy';
import { ClearAnswers } from '../components/clear-answers';
import { CriterionRating } from '../components/criterion-rating';
import { DomainChart } from '../components/domain-chart';
import { formatWhen } from '../components/format-when';
import { NextStepAdvice } from '../components/next-step';
import {
  clearBrowserCopy,
  type CopySource,
  newerCopy,
  readBrowserCopy,
  type SelfAssessmentCopy,
  writeBrowserCopy,
} from '../lib/browser-copy';
import { domainScores, isRating, RATING_SCALE, type Rating, ratedCount, suggestNextStep } from '../lib/scoring';
import { selfAssessmentCsv, selfAssessmentJson } from '../lib/summary-files';

const EMPTY: SelfAssessmentCopy = { ratings: {}, updatedAt: '' };

/** Which copy is shown when the account holds one too, and when that one was saved. */
type Shown = { source: CopySource; accountSavedAt: string };

/**
 * The public PSF self-assessment: rate the 40 criteria, see a score per domain and the suggested next step.
 * No account needed; the answers are kept in this browser, and a signed-in person may save them to the account.
 */
export function SelfAssessmentPage() {
  const { user } = useSession();
  const framework = useFramework();
  const [copy, setCopy] = useState<SelfAssessmentCopy>(() => readBrowserCopy(window.localStorage) ?? EMPTY);
  const [shown, setShown] = useState<Shown | null>(null);
  const [cleared, setCleared] = useState(false);
  const clearedNotice = useRef<HTMLParagraphElement>(null);
  const canSave = Boolean(user) && !needsSecondFactor(user!);
  const saved = useSavedSelfAssessment(canSave);
  const reconciled = useRef(false);

  // Once the account's copy is known: the newer of it and this browser's is shown (and kept in the browser).
  useEffect(() => {
    if (reconciled.current || saved.data === undefined) return;
    reconciled.current = true;
    if (!saved.data) return;
    const chosen = newerCopy(readBrowserCopy(window.localStorage), saved.data)!;
    if (chosen.source === 'account') keep(chosen.copy);
    setShown({ source: chosen.source, accountSavedAt: saved.data.updatedAt });
  }, [saved.data]);

  useEffect(() => {
    if (cleared) clearedNotice.current?.focus();
  }, [cleared]);

  function keep(next: SelfAssessmentCopy): void {
    setCopy(next);
    writeBrowserCopy(window.localStorage, next);
  }

  const rate = (code: string, rating: Rating) => {
    setCleared(false);
    keep({ ratings: { ...copy.ratings, [code]: rating }, updatedAt: new Date().toISOString() });
  };

  if (framework.isPending) return <p role="status">Loading the framework…</p>;
  if (framework.isError) return <Alert>{failureOf(framework.error).message}</Alert>;

  const domains = framework.data.domains;
  const total = domains.reduce((n, d) => n + d.criteria.length, 0);
  const rated = ratedCount(domains, copy.ratings);
  const scores = domainScores(domains, copy.ratings);
  const step = suggestNextStep(scores);
  const day = new Date().toISOString().slice(0, 10);

  return (
    <Page title="PSF self-assessment">
      <div className="sa-no-print">
        <p>
          Use the Production Safety Framework as a checklist: rate how far each of its {total} criteria is in place for an AI system you run
          in production. You need no account. Your answers are kept in this browser only, until you clear them.
        </p>
        <h2>The rating scale</h2>
        <dl className="sa-scale-key">
          {RATING_SCALE.map((s) => (
            <div key={s.value}>
              <dt>{s.label}</dt>
              <dd>{s.meaning}.</dd>
            </div>
          ))}
        </dl>
        <p>
          Leave a criterion unrated if you do not know yet; it counts as not in place in the scores.{' '}
          <a href="#results">Go to your results</a>
        </p>
      </div>

      <p className="sa-progress" role="status">
        {rated} of {total} rated
      </p>
      {shown && <AccountNotice shown={shown} />}

      <form className="sa-no-print" onSubmit={(e) => e.preventDefault()} aria-label="Rate the criteria">
        {domains.map((d) => (
          <section key={d.code} className="sa-domain" aria-labelledby={`domain-${d.code}`}>
            <h2 id={`domain-${d.code}`}>
              {d.code} {d.title}
            </h2>
            <p className="hint">{d.summary}</p>
            {d.criteria.map((c) => (
              <CriterionRating key={c.code} code={c.code} text={c.text} rating={copy.ratings[c.code]} onRate={rate} />
            ))}
          </section>
        ))}
      </form>

      <section id="results" className="sa-results" aria-labelledby="results-heading">
        <h2 id="results-heading">Your results</h2>
        <p>
          {rated} of {total} criteria rated{copy.updatedAt ? `; last changed ${formatWhen(copy.updatedAt)}` : ''}.
        </p>
        <DomainChart scores={scores} />
        <h3>Suggested next step</h3>
        <NextStepAdvice step={step} user={user} />
        <RatingsList domains={domains} ratings={copy.ratings} />
        <PsfAttribution />
        <div className="actions sa-no-print">
          <button type="button" onClick={() => window.print()}>
            Print summary
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() =>
              saveTextFile(selfAssessmentCsv(domains, copy.ratings), `psf-self-assessment-${day}.csv`, 'text/csv;charset=utf-8')
            }
          >
            Download CSV
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() =>
              saveTextFile(
                selfAssessmentJson(domains, copy.ratings, framework.data.attribution, new Date()),
                `psf-self-assessment-${day}.json`,
                'application/json',
              )
            }
          >
            Download JSON
          </button>
        </div>
      </section>

      <section className="sa-no-print" aria-labelledby="keep-heading">
        <h2 id="keep-heading">Keep or clear your answers</h2>
        <AccountCopy
          user={user}
          canSave={canSave}
          ratings={copy.ratings}
          accountCopy={{ isPending: saved.isPending, error: saved.error }}
          onSaved={(s) => {
            // The browser's copy takes the saved time: the two are the same answers, so neither is "newer".
            keep({ ratings: copy.ratings, updatedAt: s.updatedAt });
            setShown(null);
          }}
        />
        <ClearAnswers
          disabled={rated === 0}
          onClear={() => {
            clearBrowserCopy(window.localStorage);
            setCopy(EMPTY);
            setShown(null);
            setCleared(true);
          }}
        />
        {cleared && (
          <p ref={clearedNotice} tabIndex={-1} className="sa-saved">
            Your answers were cleared from this browser.
          </p>
        )}
      </section>
    </Page>
  );
}

function AccountNotice({ shown }: { shown: Shown }) {
  const when = formatWhen(shown.accountSavedAt);
  return (
    <Alert kind="info">
      {shown.source === 'account'
        ? `Showing the answers saved to your account on ${when}: they are newer than any in this browser.`
        : `Showing this browser's answers: they are newer than the ones saved to your account on ${when}. Save them to your account to replace those.`}
    </Alert>
  );
}

/** Every criterion with its rating: printed with the summary (on screen the form shows them). */
function RatingsList({
  domains,
  ratings,
}: {
  domains: Array<{ code: string; title: string; criteria: Array<{ code: string; text: string }> }>;
  ratings: SelfAssessmentCopy['ratings'];
}) {
  return (
    <div className="sa-print-only">
      <h3>Your ratings</h3>
      <table className="sa-ratings">
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Rating</th>
          </tr>
        </thead>
        <tbody>
          {domains.flatMap((d) =>
            d.criteria.map((c) => {
              const r = ratings[c.code];
              return (
                <tr key={c.code}>
                  <th scope="row">
                    {c.code} {c.text}
                  </th>
                  <td>{isRating(r) ? RATING_SCALE[r].label : 'Not rated'}</td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}
