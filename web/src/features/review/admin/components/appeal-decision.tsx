import { useRef, useState } from 'react';
import { Alert } from '../../../../components/alert';
import { type Appeal, usePipelineAction } from '../api/submissions';

// An appeal is against a fail or a revise: upheld, it is replaced by a pass or a chance to revise.
type Ruling = 'reject' | 'pass' | 'revise';
const RULINGS: ReadonlyArray<[Ruling, string]> = [
  ['reject', 'Reject the appeal: the decision stands'],
  ['pass', 'Uphold the appeal and decide pass'],
  ['revise', 'Uphold the appeal and decide revise'],
];
const CONSEQUENCE: Record<Ruling, string> = {
  reject: 'the decision stands and the candidate is told the appeal was rejected, with your reason',
  pass: 'the decision is replaced by a pass: the candidate is told at once and their certificate is issued',
  revise: 'the decision is replaced by revise: the candidate is told at once and may submit a revised version',
};

/**
 * An open appeal, decided beside the evidence it disputes: the candidate's grounds, a ruling, its own
 * reason (recorded and given to the candidate), and a confirmation that spells out what follows.
 */
export function AppealDecision({ appeal, candidate, onDone }: { appeal: Appeal; candidate: string; onDone: (message: string) => void }) {
  const action = usePipelineAction();
  const [ruling, setRuling] = useState<Ruling | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);

  const review = () => {
    if (!ruling) return setProblem('Choose how to decide the appeal');
    if (note.trim().length < 3) return setProblem('Give the reason for your ruling (it is recorded and shown to the candidate)');
    setProblem(null);
    setConfirming(true);
    requestAnimationFrame(() => confirmRef.current?.focus());
  };
  const confirm = () =>
    action.mutate(
      ruling === 'reject'
        ? { kind: 'appeal', appealId: appeal.id, upheld: false, note: note.trim() }
        : { kind: 'appeal', appealId: appeal.id, upheld: true, note: note.trim(), newOutcome: ruling! },
      {
        onSuccess: () => {
          setConfirming(false);
          // The appeal is closed: the page shows the outcome, as this form goes.
          onDone(ruling === 'reject' ? 'Appeal rejected; the decision stands.' : `Appeal upheld: the decision is now ${ruling}.`);
        },
        onError: () => setConfirming(false),
      },
    );

  return (
    <section aria-labelledby="appeal-h">
      <h2 id="appeal-h">The appeal</h2>
      <dl className="meta">
        <dt>Decision appealed</dt>
        <dd>{appeal.decision}</dd>
        <dt>Filed</dt>
        <dd>{new Date(appeal.filedAt).toLocaleDateString()}</dd>
        <dt>Grounds</dt>
        <dd className="narrative">{appeal.grounds}</dd>
      </dl>
      {action.error && <Alert>{action.error.message}</Alert>}
      {problem && <Alert>{problem}</Alert>}
      <fieldset disabled={confirming}>
        <legend>Ruling</legend>
        {RULINGS.map(([value, words]) => (
          <div className="checkbox" key={value}>
            <input type="radio" id={`ruling-${value}`} name="ruling" checked={ruling === value} onChange={() => setRuling(value)} />
            <label htmlFor={`ruling-${value}`}>{words}</label>
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor="appeal-note">Reason for the ruling</label>
        <p className="hint" id="appeal-note-hint">
          Recorded in the audit log and given to the candidate.
        </p>
        <textarea
          id="appeal-note"
          rows={3}
          maxLength={5000}
          aria-describedby="appeal-note-hint"
          readOnly={confirming}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {!confirming ? (
        <button type="button" onClick={review}>
          Review the ruling
        </button>
      ) : (
        <div className="confirm-dialog" role="group" aria-labelledby="confirm-ruling" tabIndex={-1} ref={confirmRef}>
          <p id="confirm-ruling">
            <strong>{ruling === 'reject' ? `Reject ${candidate}’s appeal?` : `Uphold ${candidate}’s appeal and decide ${ruling}?`}</strong>{' '}
            Once confirmed, {CONSEQUENCE[ruling!]}. The ruling and its reason are audited.
          </p>
          <p className="actions">
            <button type="button" onClick={confirm} disabled={action.isPending}>
              Confirm the ruling
            </button>
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Change it
            </button>
          </p>
        </div>
      )}
    </section>
  );
}
