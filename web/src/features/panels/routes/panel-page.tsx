import { Fragment, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { AttachmentPreview } from '../../../components/attachment-preview';
import { DataTable } from '../../../components/data-table';
import {
  type DomainScore,
  downloadAttachment,
  type PanelDetail,
  useChairAction,
  useGuide,
  usePanel,
  usePanelDraft,
  useWithdrawFromPanel,
} from '../api/panels';
import { PanelScoreSheet } from '../components/panel-score-sheet';
import { type InterviewGuide } from '../lib/panel-rubric';
import { when } from './panels-page';

export function PanelPage() {
  const { bookingId = '' } = useParams();
  const panel = usePanel(bookingId);
  const guide = useGuide();
  const p = panel.data;
  const g = guide.data?.guide as unknown as InterviewGuide | undefined;
  return (
    <Page title="CPAA panel">
      <p>
        <Link to="/reviewer/panels">All my panels</Link>
      </p>
      {panel.isPending && <p role="status">Loading…</p>}
      {panel.error && <Alert>{panel.error.message}</Alert>}
      {guide.error && <Alert>{`The interview guide could not be loaded: ${guide.error.message}`}</Alert>}
      {p && (
        <>
          <dl className="meta">
            <dt>Candidate</dt>
            <dd>{p.candidateName}</dd>
            <dt>When</dt>
            <dd>
              {when(p.start, p.end)} ({Intl.DateTimeFormat().resolvedOptions().timeZone})
            </dd>
            <dt>Join</dt>
            <dd>
              <a href={p.meetingUrl}>{p.meetingUrl}</a>
            </dd>
            <dt>Panel</dt>
            <dd>{p.members.map((m) => `${m.name}${m.isChair ? ' (chair)' : ''}${m.scored ? ', scored' : ''}`).join('; ')}</dd>
            <dt>Your role</dt>
            <dd>{p.isChair ? 'Chair' : 'Member'}</dd>
          </dl>
          {p.decision && (
            <p className={`result-banner result-${p.decision.outcome}`}>
              Panel decision: {p.decision.outcome}
              {p.decision.route === 'no_show' ? ' (candidate did not attend)' : ''}.
            </p>
          )}
          {p.status === 'booked' && !p.scoringOpen && <WithdrawForm bookingId={p.bookingId} />}
          {g && <GuideSection guide={g} />}
          <PortfolioSection panel={p} />
          <ScoringSection panel={p} guide={g} />
          {p.isChair && p.status === 'booked' && p.scoringOpen && <ChairSection panel={p} />}
        </>
      )}
    </Page>
  );
}

function GuideSection({ guide }: { guide: InterviewGuide }) {
  return (
    <section aria-labelledby="guide-h">
      <h2 id="guide-h">Interview guide</h2>
      <details>
        <summary>Opening and closing (chair)</summary>
        <h3>Opening</h3>
        <ul>
          {guide.opening.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
        <h3>Closing</h3>
        <ul>
          {guide.closing.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      </details>
      {guide.domains.map((d) => (
        <details key={d.domain}>
          <summary>
            {d.domain}: prompts ({d.minutes} minutes)
          </summary>
          {d.prompts.map((pr) => (
            <div key={pr.id}>
              <h3>
                {pr.id} ({pr.criteria.join(', ')})
              </h3>
              <p>{pr.prompt}</p>
              <ul>
                {pr.followUps.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </div>
          ))}
          <h3>Look for</h3>
          <ul>
            {d.lookFor.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
          <h3>Red flags</h3>
          <ul>
            {d.redFlags.map((f) => (
              <li key={f}>{f}</li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}

function PortfolioSection({ panel }: { panel: PanelDetail }) {
  const [error, setError] = useState<string | null>(null);
  const context = panel.context as Record<string, string>;
  return (
    <section aria-labelledby="portfolio-h">
      <h2 id="portfolio-h">Candidate's CPAA portfolio</h2>
      {error && <Alert>{error}</Alert>}
      <dl className="meta">
        {Object.entries(context).map(([k, v]) => (
          <Fragment key={k}>
            <dt>{k}</dt>
            <dd>{String(v)}</dd>
          </Fragment>
        ))}
      </dl>
      <details>
        <summary>Evidence per criterion ({panel.evidence.length})</summary>
        {panel.evidence.map((e) => (
          <div key={e.criterion} className="criterion">
            <h3>{e.criterion}</h3>
            <p>{e.narrative}</p>
            {e.attachments.map((a) => (
              <p key={a.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => downloadAttachment(a.id, a.fileName).catch((err: Error) => setError(err.message))}
                >
                  Download {a.fileName}
                </button>{' '}
                <AttachmentPreview attachment={a} />
              </p>
            ))}
          </div>
        ))}
      </details>
    </section>
  );
}

function ScoringSection({ panel, guide }: { panel: PanelDetail; guide?: InterviewGuide }) {
  const editable = panel.scoringOpen && !panel.myScores && panel.status === 'booked';
  const draft = usePanelDraft(panel.bookingId, editable);
  if (panel.myScores) {
    const columns = [
      { key: 'you', header: 'You', scores: panel.myScores },
      ...panel.otherScores.map((o) => ({ key: o.assessorId, header: o.name, scores: o.domains })),
    ];
    return (
      <section aria-labelledby="scores-h">
        <h2 id="scores-h">Scores</h2>
        <DataTable
          caption={`Your scores${panel.otherScores.length ? " and the other assessors' scores" : ' (the others appear once they submit)'}`}
          rows={panel.myScores.map((s) => s.domain)}
          rowKey={(d) => d}
          empty="No scores yet."
          columns={[
            { header: 'Domain', rowHeader: true, cell: (d) => d },
            ...columns.map((c) => ({ header: c.header, cell: (d: string) => scoreText(c.scores.find((s) => s.domain === d)) })),
          ]}
        />
      </section>
    );
  }
  if (!panel.scoringOpen) return <p>The scoring form opens when the interview starts.</p>;
  if (!editable) return null;
  if (draft.error) return <Alert>{draft.error.message}</Alert>;
  if (!guide || draft.isPending) return <p role="status">Loading your score sheet…</p>;
  return <PanelScoreSheet panel={panel} guide={guide} draft={draft.data ?? null} />;
}

const scoreText = (s: DomainScore | undefined) => (s ? `${s.score}${s.notes ? ` — ${s.notes}` : ''}` : '—');

function ChairSection({ panel }: { panel: PanelDetail }) {
  const chair = useChairAction(panel.bookingId);
  const [note, setNote] = useState('');
  const [party, setParty] = useState<'candidate' | 'assessor'>('candidate');
  const [absent, setAbsent] = useState(panel.members.find((m) => !m.isChair)?.assessorId ?? '');
  const [noShowNote, setNoShowNote] = useState('');
  const allScored = panel.members.length === 3 && panel.members.every((m) => m.scored);
  const error = chair.error?.message ?? null;
  return (
    <section aria-labelledby="chair-h">
      <h2 id="chair-h">Chair</h2>
      {error && <Alert>{error}</Alert>}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          chair.mutate({ kind: 'decision', note });
        }}
      >
        <h3>Panel decision</h3>
        <p className="hint">
          {allScored
            ? 'All three assessors have scored. The outcome follows the rule above; add the summary for the record.'
            : 'Waiting for all three assessors to submit their scores.'}
        </p>
        <div className="field">
          <label htmlFor="decision-note">Summary for the record</label>
          <textarea id="decision-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" disabled={!allScored}>
          Record the panel decision
        </button>
      </form>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          chair.mutate({ kind: 'no-show', party, assessorId: party === 'assessor' ? absent : undefined, note: noShowNote });
        }}
      >
        <h3>Record a no-show</h3>
        <fieldset>
          <legend>Who did not attend?</legend>
          {(['candidate', 'assessor'] as const).map((x) => (
            <div className="checkbox" key={x}>
              <input type="radio" name="no-show-party" id={`ns-${x}`} checked={party === x} onChange={() => setParty(x)} />
              <label htmlFor={`ns-${x}`}>{x === 'candidate' ? 'The candidate' : 'An assessor'}</label>
            </div>
          ))}
        </fieldset>
        {party === 'assessor' && (
          <div className="field">
            <label htmlFor="ns-assessor">Assessor</label>
            <select id="ns-assessor" value={absent} onChange={(e) => setAbsent(e.target.value)}>
              {panel.members
                .filter((m) => !m.isChair)
                .map((m) => (
                  <option key={m.assessorId} value={m.assessorId}>
                    {m.name}
                  </option>
                ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor="ns-note">What happened</label>
          <textarea id="ns-note" rows={2} value={noShowNote} onChange={(e) => setNoShowNote(e.target.value)} />
        </div>
        <button type="submit" className="button-secondary">
          Record the no-show
        </button>
      </form>
    </section>
  );
}

function WithdrawForm({ bookingId }: { bookingId: string }) {
  const leave = useWithdrawFromPanel(bookingId);
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  return (
    <form
      className="form"
      onSubmit={(e) => {
        e.preventDefault();
        leave.mutate(reason, {
          onSuccess: (r) =>
            setResult({
              kind: 'success',
              text:
                r.outcome === 'replaced'
                  ? 'You have left this panel; another assessor takes your place.'
                  : 'You have left this panel; no replacement was free, so the candidate is asked to rebook.',
            }),
          onError: (err) => setResult({ kind: 'error', text: err.message }),
        });
      }}
    >
      <details>
        <summary>I cannot sit on this panel</summary>
        <div className="field">
          <label htmlFor="withdraw-reason">Reason</label>
          <textarea id="withdraw-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
        <button type="submit" className="button-secondary">
          Withdraw from this panel
        </button>
      </details>
      {result && <Alert kind={result.kind}>{result.text}</Alert>}
    </form>
  );
}
