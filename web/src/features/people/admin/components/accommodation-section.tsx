import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { useAccommodation, useSetAccommodation } from '../api/accommodation';

/**
 * A candidate's AIDA time accommodation, on their page in People: what is set (1.0 when nothing is) and a
 * form to change it. The form waits for the current value, so it never saves a default over it.
 */
export function AccommodationSection({ userId, fullName }: { userId: string; fullName: string }) {
  const current = useAccommodation(userId);
  const save = useSetAccommodation();
  const form = useForm<{ timeMultiplier: number }>();
  useEffect(() => {
    if (current.data) form.reset({ timeMultiplier: current.data.timeMultiplier });
  }, [current.data, form]);
  const c = current.data;
  return (
    <section aria-labelledby="accommodation-heading">
      <h2 id="accommodation-heading">AIDA time accommodation</h2>
      {current.isPending && <p role="status">Loading the accommodation…</p>}
      {current.error && <Alert>{current.error.message}</Alert>}
      {c && (
        <p>
          {c.timeMultiplier === 1
            ? `${fullName} has the standard time limit (multiplier 1.0).`
            : `${fullName}'s attempts get ${c.timeMultiplier}× the time limit.`}
          {c.updatedAt && (
            <>
              {' '}
              Last set <time dateTime={c.updatedAt}>{new Date(c.updatedAt).toLocaleString()}</time>.
            </>
          )}
        </p>
      )}
      {save.isSuccess && (
        <Alert kind="success">Accommodation saved. It applies to attempts started from now on, not to one in progress.</Alert>
      )}
      {save.error && <Alert>{save.error.message}</Alert>}
      <form className="form" noValidate onSubmit={form.handleSubmit((v) => save.mutate({ userId, timeMultiplier: v.timeMultiplier }))}>
        <FormField
          label="Time multiplier"
          type="number"
          step="0.05"
          hint="Between 1.0 and 3.0; 1.0 is the standard time limit."
          disabled={!c}
          error={form.formState.errors.timeMultiplier?.message}
          {...form.register('timeMultiplier', {
            valueAsNumber: true,
            required: 'Enter a multiplier between 1.0 and 3.0',
            min: { value: 1, message: 'Between 1.0 and 3.0' },
            max: { value: 3, message: 'Between 1.0 and 3.0' },
          })}
        />
        <button type="submit" disabled={!c || save.isPending}>
          Save accommodation
        </button>
      </form>
    </section>
  );
}
