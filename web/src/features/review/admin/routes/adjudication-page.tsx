import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { AttachmentPreview } from '../../../../components/attachment-preview';
import { Page } from '../../../../components/page';
import { CONTEXT_LABELS } from '../../../../lib/portfolio-context';
import { useAdjudication, useAppeals, usePipelineAction } from '../api/submissions';
import { AppealDecision } from '../components/appeal-decision';

type Outcome = 'pass' | 'revise' | 'fail';
const LEVEL = ['Not evidenced', 'Partially', 'Met', 'Exemplary'];
const CONSEQUENCE: Record<Outcome, string> = {
  pass: 'the candidate is told at once and their certificate is issued',
  revise: 'the candidate is told at once and may submit a revised version within the resubmission window',
  fail: 'the candidate is told at once; they may appeal',
};

/**
 * Adjudication: both reviews side by side per criterion and domain, differences marked in words, the evidence a click
 * away, and a decision with its own reason that is confirmed, with its consequence spelled out, before it is recorded.
 */
export function AdjudicationPage() {
  const { submissionId = '' } = useParams();
  const view = useAdjudication(submissionId);
  const appeals = useAppeals();
  const appeal = appeals.data?.find((a) => a.submissionId === submissionId);
  const action = usePipelineAction();
  const [onlyDifferences, setOnlyDifferences] = useState(true);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  const [ruled, setRuled] = useState<string | null>(null);
  const confirmRef = useRef<HTMLDivElement>(null);
  const v = view.data;
  if (view.error) {
    return (
      <Page title="Adjudication">
        <Alert>{view.error.message}</Alert>
      </Page>
    );
  }
  if (!v) return <p role="status">Loading…</p>;
  const reviewers = v.recommendations.map((r) => r.reviewer);
  const differing = v.criteria.filter((c) => c.spread > 0);
  const shown = onlyDifferences ? differing : v.criteria;
  const decidedAlready = v.status.startsWith('decided');

  const review = () => {
    setDecided(null);
    if (!outcome) return setProblem('Choose the decision');
    if (reason.trim().length < 3) return setProblem('Give the reason for the decision (it is recorded and shown to the candidate)');
    setProblem(null);
    setConfirming(true);
    requestAnimationFrame(() => confirmRef.current?.focus());
  };
  const confirm = () =>
    action.mutate(
      { kind: 'decide', submissionId, outcome: outcome!, reason: reason.trim() },
      {
        onSuccess: () => {
          setConfirming(false);
          setDecided(`Decision recorded: ${outcome}.`);
        },
        onError: () => setConfirming(false),
      },
    );

  return (
    <Page title={`Adjudication: ${v.credential} version ${v.version}, ${v.candidate}`}>
      <p>
        <Link to="/admin/submissions">Back to the portfolio pipeline</Link>
      </p>
      <dl className="meta">
        <dt>Stage</dt>
        <dd>{v.status.replace('_', ' ')}</dd>
        <dt>Submitted</dt>
        <dd>{new Date(v.submittedAt).toLocaleDateString()}</dd>
        {v.recommendations.map((r) => (
          <div key={r.reviewer} style={{ display: 'contents' }}>
            <dt>{r.reviewer} recommends</dt>
            <dd>{r.recommendation}</dd>
          </div>
        ))}
      </dl>
      <h2>Deployment context</h2>
      <dl className="meta">
        {Object.entries(v.context).map(([k, val]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{CONTEXT_LABELS[k] ?? k}</dt>
            <dd>{val}</dd>
          </div>
        ))}
      </dl>

      <h2>Domains</h2>
      <table>
        <caption className="visually-hidden">Each reviewer's judgement of each domain</caption>
        <thead>
          <tr>
            <th scope="col">Domain</th>
            {reviewers.map((r) => (
              <th scope="col" key={r}>
                {r}
              </th>
            ))}
            <th scope="col">Agreement</th>
          </tr>
        </thead>
        <tbody>
          {v.domains.map((d) => (
            <tr key={d.domain} className={d.split ? 'differs' : undefined}>
              <th scope="row">
                {d.domain} {d.title}
              </th>
              {reviewers.map((r) => {
                const j = d.judgements.find((x) => x.reviewer === r);
                return <td key={r}>{j ? `${j.met ? 'Met' : 'Not met'}${j.comment ? ` — ${j.comment}` : ''}` : '—'}</td>;
              })}
              <td>{d.split ? <strong>Split</strong> : 'Agree'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Criteria</h2>
      <p>
        The reviewers differ on {differing.length} of {v.criteria.length} criteria.
      </p>
      <div className="checkbox">
        <input id="only-differences" type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.target.checked)} />
        <label htmlFor="only-differences">Show only the criteria where the reviewers differ</label>
      </div>
      <table className="side-by-side">
        <caption className="visually-hidden">Each reviewer's score and comment for each criterion, with the evidence</caption>
        <thead>
          <tr>
            <th scope="col">Criterion and evidence</th>
            {reviewers.map((r) => (
              <th scope="col" key={r}>
                {r}
              </th>
            ))}
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr key={c.criterion} className={c.spread > 0 ? 'differs' : undefined}>
              <th scope="row">
                {c.criterion} {c.text}
                <details>
                  <summary>
                    Evidence<span className="visually-hidden"> for {c.criterion}</span>
                  </summary>
                  <p className="narrative">{c.narrative}</p>
                  {c.attachments.map((a) => (
                    <p key={a.id}>
                      <AttachmentPreview attachment={a} />
                    </p>
                  ))}
                </details>
              </th>
              {reviewers.map((r) => {
                const x = c.scores.find((s) => s.reviewer === r);
                return (
                  <td key={r}>
                    {x ? (
                      <>
                        {x.score} {LEVEL[x.score]}
                        {x.comment && <span className="hint"> — {x.comment}</span>}
                      </>
                    ) : (
                      '—'
                    )}
                  </td>
                );
              })}
              <td>{c.spread > 0 ? <strong>Differs by {c.spread}</strong> : 'Same score'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {ruled && <Alert kind="success">{ruled}</Alert>}
      {/* Which form applies depends on whether an appeal is open: until the appeals are known, neither is offered
          (an override made meanwhile would bypass the appeal it should answer). */}
      {!appeals.data ? (
        appeals.error ? (
          <Alert>{appeals.error.message}</Alert>
        ) : (
          <p role="status">Loading the open appeals…</p>
        )
      ) : appeal ? (
        <AppealDecision appeal={appeal} candidate={v.candidate} onDone={setRuled} />
      ) : (
        decisionForm(v)
      )}
    </Page>
  );

  /** The decision (or override) with its reason and confirmation; called, not mounted, so typing keeps the focus. */
  function decisionForm(v: NonNullable<typeof view.data>) {
    return (
      <>
        <h2>{decidedAlready ? 'Override the decision' : 'Decision'}</h2>
        {decided && <Alert kind="success">{decided}</Alert>}
        {action.error && <Alert>{action.error.message}</Alert>}
        {problem && <Alert>{problem}</Alert>}
        <fieldset disabled={confirming}>
          <legend>{decidedAlready ? 'New outcome' : 'Outcome'}</legend>
          {(['pass', 'revise', 'fail'] as const).map((o) => (
            <div className="checkbox" key={o}>
              <input type="radio" id={`outcome-${o}`} name="outcome" checked={outcome === o} onChange={() => setOutcome(o)} />
              <label htmlFor={`outcome-${o}`}>{o}</label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="decision-reason">Reason for this decision</label>
          <p className="hint" id="decision-reason-hint">
            Recorded in the audit log and given to the candidate with the decision.
          </p>
          <textarea
            id="decision-reason"
            rows={3}
            maxLength={2000}
            aria-describedby="decision-reason-hint"
            readOnly={confirming}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </div>
        {!confirming ? (
          <button type="button" onClick={review}>
            Review the decision
          </button>
        ) : (
          <div className="confirm-dialog" role="group" aria-labelledby="confirm-decision" tabIndex={-1} ref={confirmRef}>
            <p id="confirm-decision">
              <strong>
                Decide {outcome} for {v.candidate}&rsquo;s {v.credential} version {v.version}?
              </strong>{' '}
              Once confirmed, {CONSEQUENCE[outcome!]}. The decision and its reason are audited.
            </p>
            <p className="actions">
              <button
                type="button"
                className={outcome === 'pass' ? undefined : 'button-danger'}
                onClick={confirm}
                disabled={action.isPending}
              >
                Confirm: decide {outcome}
              </button>
              <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
                Change it
              </button>
            </p>
          </div>
        )}
      </>
    );
  }
}
