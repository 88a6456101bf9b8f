import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { type Study, useStudy, useStudyStep } from '../api/studies';
import { AdoptCutForm } from '../components/adopt-cut-form';
import { StudyResult } from '../components/study-result';
import { formatPercent, STUDY_STATUS_LABELS } from '../lib/format';

export function StudyPage() {
  const { studyId = '' } = useParams();
  const study = useStudy(studyId);
  return (
    <Page title={study.data ? `Standard-setting study: ${study.data.title}` : 'Standard-setting study'}>
      <p>
        <Link to="/admin/exam/standard-setting">All standard-setting studies</Link>
      </p>
      {study.error && <Alert>{study.error.message}</Alert>}
      {study.isPending && <p role="status">Loading the study…</p>}
      {study.data && <StudyDetail study={study.data} />}
    </Page>
  );
}

function StudyDetail({ study }: { study: Study }) {
  const open = study.status === 'round1' || study.status === 'round2';
  return (
    <>
      <dl className="meta">
        <dt>Status</dt>
        <dd>{STUDY_STATUS_LABELS[study.status]}</dd>
        <dt>Items rated</dt>
        <dd>{study.items} (the active pool when the study opened)</dd>
        <dt>Form length</dt>
        <dd>{study.formLength} questions</dd>
        <dt>Opened</dt>
        <dd>
          {new Date(study.createdAt).toLocaleString()} by {study.createdBy}
        </dd>
        {study.round2OpenedAt && (
          <>
            <dt>Round 2 opened</dt>
            <dd>{new Date(study.round2OpenedAt).toLocaleString()}</dd>
          </>
        )}
        {study.closedAt && (
          <>
            <dt>{study.status === 'cancelled' ? 'Ended' : 'Closed'}</dt>
            <dd>{new Date(study.closedAt).toLocaleString()}</dd>
          </>
        )}
      </dl>

      <ProgressTable study={study} />
      {open && <NextStep study={study} />}
      {study.result && <StudyResult result={study.result} />}
      {study.status === 'closed' && <AdoptCutForm study={study} />}
      {study.status === 'adopted' && study.result && (
        <Alert kind="success">
          Adopted: a new exam window has a pass mark of {formatPercent(study.result.cutPercent)}. See the{' '}
          <Link to="/admin/exam">AIDA examination settings</Link> for the pass mark in force.
        </Alert>
      )}
      {study.status === 'cancelled' && (
        <Alert kind="info">This study was cancelled. Its ratings are kept but its cut can never be adopted.</Alert>
      )}
      {study.status !== 'adopted' && study.status !== 'cancelled' && <CancelStudy study={study} />}
    </>
  );
}

function ProgressTable({ study }: { study: Study }) {
  const cell = (rated: number, reached: boolean) =>
    !reached ? '—' : `${rated} of ${study.items}${rated >= study.items ? ' (every item)' : ''}`;
  return (
    <>
      <h2>Progress</h2>
      <table>
        <caption>Items each rater has rated, per round, out of {study.items}</caption>
        <thead>
          <tr>
            <th scope="col">Rater</th>
            <th scope="col">Round 1</th>
            <th scope="col">Round 2</th>
          </tr>
        </thead>
        <tbody>
          {study.raters.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                {r.name} <span className="hint angoff-block">{r.email}</span>
              </th>
              <td>{cell(r.ratedRound1, true)}</td>
              <td>{cell(r.ratedRound2, study.round2OpenedAt !== null)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function NextStep({ study }: { study: Study }) {
  const round2 = useStudyStep(study.id, 'round2');
  const close = useStudyStep(study.id, 'close');
  const behind = study.raters.filter((r) => r.ratedRound1 < study.items);
  const complete = study.raters.filter((r) => r.ratedRound2 >= study.items);
  const round2Blocked =
    behind.length > 0
      ? `Waiting for ${behind.map((r) => `${r.name} (${r.ratedRound1} of ${study.items})`).join(', ')} to rate every item in round 1.`
      : null;
  const closeBlocked =
    study.status === 'round1'
      ? 'The cut is computed from the round-2 ratings: open round 2 first.'
      : complete.length === 0
        ? 'No rater has rated every item in round 2 yet.'
        : null;
  const error = round2.error ?? close.error;

  return (
    <section aria-labelledby="angoff-next-heading">
      <h2 id="angoff-next-heading">Next step</h2>
      {error && <Alert>{error.message}</Alert>}
      {round2.isSuccess && study.status === 'round2' && (
        <Alert kind="success">
          Round 2 is open. Raters now see how candidates did and the panel’s round-1 mean, and may revise their ratings.
        </Alert>
      )}
      {study.status === 'round1' && (
        <div className="angoff-step">
          <button
            type="button"
            disabled={round2Blocked !== null || round2.isPending}
            aria-describedby="angoff-round2-why"
            onClick={() => round2.mutate()}
          >
            Open round 2
          </button>
          <p className="hint" id="angoff-round2-why">
            {round2Blocked ?? 'Every rater has rated every item. Round 2 starts from their round-1 ratings.'}
          </p>
        </div>
      )}
      <div className="angoff-step">
        <button
          type="button"
          disabled={closeBlocked !== null || close.isPending}
          aria-describedby="angoff-close-why"
          onClick={() => close.mutate()}
        >
          Close and compute the cut
        </button>
        <p className="hint" id="angoff-close-why">
          {closeBlocked ??
            (complete.length < study.raters.length
              ? `Only raters who rated every item count: ${complete.length} of ${study.raters.length} have. Ratings cannot change after closing.`
              : 'Ratings cannot change after closing.')}
        </p>
      </div>
    </section>
  );
}

function CancelStudy({ study }: { study: Study }) {
  const cancel = useStudyStep(study.id, 'cancel');
  const [confirming, setConfirming] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (confirming) question.current?.focus();
    else if (asked.current) trigger.current?.focus();
    asked.current = confirming;
  }, [confirming]);

  return (
    <section aria-labelledby="angoff-cancel-heading">
      <h2 id="angoff-cancel-heading">Cancel the study</h2>
      {cancel.error && <Alert>{cancel.error.message}</Alert>}
      {!confirming ? (
        <button ref={trigger} type="button" className="button-secondary" onClick={() => setConfirming(true)}>
          Cancel this study
        </button>
      ) : (
        <div className="angoff-confirm">
          <p ref={question} tabIndex={-1}>
            <strong>Cancel “{study.title}”?</strong> Raters can no longer change their ratings, and its cut can never be adopted. This
            cannot be undone.
          </p>
          <div className="actions">
            <button
              type="button"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate(undefined, { onSettled: () => setConfirming(false) })}
            >
              Yes, cancel the study
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Keep the study
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
