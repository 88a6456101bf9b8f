import { useEffect, useRef, useState } from 'react';
import { Alert } from '../../../../components/alert';
import type { ItemForReview } from '../api/item-review';
import { type StageTarget, useChangeItemStage } from '../api/item-stage';
import { MIN_PRETEST_RESPONSES, REQUIRED_APPROVALS, STATUS_LABELS } from './labels';

const MIN_REASON = 10;
const MAX_REASON = 1000;

interface StageAction {
  to: StageTarget;
  label: string;
  /** What the rule is, shown beside the button. */
  rule: string;
  /** What happens when it is confirmed. */
  consequence: string;
  needsReason: boolean;
}

/** The steps open from the item's status, with the rule each step must meet (ItemReviewService.changeStage). */
function actionsFor(item: ItemForReview): StageAction[] {
  const approvals = `It has ${item.approvals} of the ${REQUIRED_APPROVALS} approving reviews it needs, and no request for changes may stand.`;
  const retire: StageAction = {
    to: 'retired',
    label: 'Retire',
    rule: 'Needs a reason.',
    consequence:
      'It will never be drawn again; attempts that showed it keep it. A retired item stays retired: to bring the content back, write a new item.',
    needsReason: true,
  };
  if (item.status === 'draft') {
    return [
      {
        to: 'pretest',
        label: 'Move to pretest',
        rule: approvals,
        consequence: `Candidates will meet it as an unscored question in their attempts until it has ${MIN_PRETEST_RESPONSES} responses; it counts towards nobody’s result.`,
        needsReason: false,
      },
      {
        to: 'active',
        label: 'Activate without a pretest',
        rule: `${approvals} Skipping the pretest needs a reason.`,
        consequence: 'It will count towards the results of attempts started from now on, with no pretest data behind it.',
        needsReason: true,
      },
      retire,
    ];
  }
  if (item.status === 'pretest') {
    return [
      {
        to: 'active',
        label: 'Activate',
        rule: `Needs ${MIN_PRETEST_RESPONSES} pretest responses; it has ${item.responses}.`,
        consequence: 'It will count towards the results of attempts started from now on.',
        needsReason: false,
      },
      retire,
    ];
  }
  if (item.status === 'active') return [retire];
  return [];
}

/** An administrator moves the item along the workflow, one confirmed step at a time. */
export function StageActions({ item }: { item: ItemForReview }) {
  const change = useChangeItemStage(item.id);
  const [chosen, setChosen] = useState<StageAction | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const sectionHeading = useRef<HTMLHeadingElement>(null);
  const buttons = useRef(new Map<StageTarget, HTMLButtonElement>());
  const actions = actionsFor(item);

  useEffect(() => {
    if (chosen) confirmHeading.current?.focus();
  }, [chosen]);

  const open = (action: StageAction) => {
    change.reset();
    setDone(null);
    setReason('');
    setReasonError(null);
    setChosen(action);
  };
  const cancel = () => {
    const to = chosen?.to;
    setChosen(null);
    change.reset();
    // Back to the button that opened the confirmation, once it is shown again.
    requestAnimationFrame(() => (to ? buttons.current.get(to)?.focus() : undefined));
  };
  const confirm = () => {
    if (!chosen) return;
    const trimmed = reason.trim();
    if (chosen.needsReason && trimmed.length < MIN_REASON) {
      setReasonError(`Say why (at least ${MIN_REASON} characters)`);
      document.getElementById('itemreview-stage-reason')?.focus();
      return;
    }
    if (trimmed.length > MAX_REASON) {
      setReasonError(`Use at most ${MAX_REASON} characters`);
      return;
    }
    setReasonError(null);
    const from = item.status;
    const to = chosen.to;
    // A refusal is shown in the confirmation (change.error).
    change.mutate(
      { to, reason: trimmed || undefined },
      {
        onSuccess: () => {
          setDone(`${item.id} moved from ${STATUS_LABELS[from]?.toLowerCase() ?? from} to ${STATUS_LABELS[to]?.toLowerCase() ?? to}.`);
          setChosen(null);
          requestAnimationFrame(() => sectionHeading.current?.focus());
        },
      },
    );
  };

  return (
    <section aria-labelledby="itemreview-stage-heading">
      <h2 id="itemreview-stage-heading" ref={sectionHeading} tabIndex={-1}>
        Stage
      </h2>
      <p>
        The item is <strong>{STATUS_LABELS[item.status]?.toLowerCase() ?? item.status}</strong>. Stage decisions are administrators’; each
        is audited and exported back to the bank’s files.
      </p>
      {done && <Alert kind="success">{done}</Alert>}
      {actions.length === 0 && <p>A retired item stays retired; write a new item instead.</p>}
      {!chosen && actions.length > 0 && (
        <ul className="itemreview-stage-actions">
          {actions.map((a) => (
            <li key={a.to + a.label}>
              <button
                type="button"
                className="button-secondary"
                ref={(el) => {
                  if (el) buttons.current.set(a.to, el);
                  else buttons.current.delete(a.to);
                }}
                onClick={() => open(a)}
              >
                {a.label}
              </button>{' '}
              <span className="hint">{a.rule}</span>
            </li>
          ))}
        </ul>
      )}
      {chosen && (
        <form
          className="itemreview-confirm"
          noValidate
          aria-labelledby="itemreview-confirm-heading"
          onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }}
        >
          <h3 id="itemreview-confirm-heading" ref={confirmHeading} tabIndex={-1}>
            {chosen.label}: {item.id}?
          </h3>
          <p>{chosen.consequence}</p>
          <p className="hint">{chosen.rule}</p>
          {chosen.needsReason && (
            <div className="field">
              <label htmlFor="itemreview-stage-reason">Reason</label>
              <p className="hint" id="itemreview-stage-reason-hint">
                Recorded in the stage history and the audit log (at least {MIN_REASON} characters).
              </p>
              <textarea
                id="itemreview-stage-reason"
                rows={3}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                aria-invalid={reasonError ? true : undefined}
                aria-describedby={['itemreview-stage-reason-hint', reasonError && 'itemreview-stage-reason-error']
                  .filter(Boolean)
                  .join(' ')}
              />
              {reasonError && (
                <p className="field-error" id="itemreview-stage-reason-error">
                  {reasonError}
                </p>
              )}
            </div>
          )}
          {change.error && <Alert>Not changed: {change.error.message}</Alert>}
          <div className="actions">
            <button type="submit" disabled={change.isPending}>
              Confirm: {chosen.label.charAt(0).toLowerCase() + chosen.label.slice(1)}
            </button>
            <button type="button" className="button-secondary" onClick={cancel}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
