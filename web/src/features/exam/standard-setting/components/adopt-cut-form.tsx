import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { usePassMarkInForce } from '../api/pass-mark';
import { type Study, useAdoptCut } from '../api/studies';
import { formatPercent } from '../lib/format';

interface AdoptValues {
  reason: string;
  startsAt: string;
}

/**
 * Adopting changes the pass mark candidates are held to, so it takes two steps: the details, then a
 * confirmation that states the consequence in one sentence.
 */
export function AdoptCutForm({ study }: { study: Study }) {
  const result = study.result!;
  const inForce = usePassMarkInForce();
  const adopt = useAdoptCut(study.id);
  const form = useForm<AdoptValues>({ defaultValues: { reason: '', startsAt: '' } });
  const [confirming, setConfirming] = useState<AdoptValues | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  const reasonError = form.formState.errors.reason?.message;
  const current = inForce.data ? formatPercent(inForce.data.percent) : 'the pass mark in force';
  const from = confirming?.startsAt ? new Date(confirming.startsAt).toLocaleString() : 'now';

  return (
    <section aria-labelledby="angoff-adopt-heading">
      <h2 id="angoff-adopt-heading">Adopt this cut for a new exam window</h2>
      <p>
        A new exam window opens with a pass mark of {formatPercent(result.cutPercent)}. Attempts started before it keep the pass mark they
        started with. The reason is recorded with the window and in the audit log.
      </p>
      {adopt.error && <Alert>{adopt.error.message}</Alert>}
      {!confirming ? (
        <form className="form" noValidate onSubmit={form.handleSubmit((values) => setConfirming(values))}>
          <div className="field">
            <label htmlFor="angoff-reason">Reason</label>
            <p className="hint" id="angoff-reason-hint">
              For example, the board’s decision that adopts it (3 to 500 characters).
            </p>
            <textarea
              id="angoff-reason"
              rows={3}
              aria-invalid={reasonError ? true : undefined}
              aria-describedby={['angoff-reason-hint', reasonError && 'angoff-reason-error'].filter(Boolean).join(' ')}
              {...form.register('reason', {
                validate: (v) => (v.trim().length >= 3 && v.trim().length <= 500) || 'Enter a reason of 3 to 500 characters',
              })}
            />
            {reasonError && (
              <p className="field-error" id="angoff-reason-error">
                {reasonError}
              </p>
            )}
          </div>
          <FormField
            label="Start of the new exam window (optional)"
            hint="Your local time. Leave it empty to start now."
            type="datetime-local"
            error={form.formState.errors.startsAt?.message}
            {...form.register('startsAt', {
              validate: (v) => !v || new Date(v).getTime() >= Date.now() - 60_000 || 'Choose a time from now on',
            })}
          />
          <div>
            <button type="submit">Continue</button>
          </div>
        </form>
      ) : (
        <div className="angoff-confirm">
          <h3 ref={confirmHeading} tabIndex={-1}>
            Confirm the new pass mark
          </h3>
          <p className="angoff-consequence">
            From {from}, candidates pass with {formatPercent(result.cutPercent)} instead of {current}.
          </p>
          <p>Reason: {confirming.reason.trim()}</p>
          <div className="actions">
            <button
              type="button"
              disabled={adopt.isPending}
              onClick={() =>
                adopt.mutate({
                  reason: confirming.reason.trim(),
                  ...(confirming.startsAt ? { startsAt: new Date(confirming.startsAt).toISOString() } : {}),
                })
              }
            >
              Adopt the cut
            </button>
            <button type="button" className="button-secondary" disabled={adopt.isPending} onClick={() => setConfirming(null)}>
              Change the details
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
