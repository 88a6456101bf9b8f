import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf, fieldErrors } from '../../../../lib/api/errors';
import { type NameChange, useCancelNameChange, useMyNameChange, useRequestNameChange } from '../api/name-change';

interface NameChangeForm {
  name: string;
  reason: string;
}

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** "Name on certificates": the current name, the latest request's state, and the form to ask for a change. */
export function NameChangeSection() {
  const mine = useMyNameChange();
  const cancel = useCancelNameChange();
  const latest = mine.data?.latest ?? null;
  const pending = latest?.status === 'pending';

  return (
    <>
      <p>
        Certificates carry the name on your account: <strong>{mine.data?.currentName ?? '…'}</strong>. To change it, tell us the name you
        want and why; the certification body checks the request. Once it is approved, each of your valid certificates is re-issued under the
        new name with a new number and the same dates, and the old numbers show as superseded.
      </p>
      {mine.error && <Alert>{mine.error.message}</Alert>}
      <div role="status" aria-live="polite">
        {latest && <LatestRequest request={latest} />}
      </div>
      {cancel.error && <Alert>{cancel.error.message}</Alert>}
      {pending ? (
        <button type="button" className="button-secondary" disabled={cancel.isPending} onClick={() => cancel.mutate()}>
          {cancel.isPending ? 'Cancelling…' : 'Cancel this request'}
        </button>
      ) : (
        mine.data && <NameChangeForm currentName={mine.data.currentName} />
      )}
    </>
  );
}

function LatestRequest({ request }: { request: NameChange }) {
  switch (request.status) {
    case 'pending':
      return (
        <p>
          Your request to change your name to <strong>{request.requestedName}</strong>, sent on {day(request.createdAt)}, is waiting for a
          decision. We will e-mail you the outcome.
        </p>
      );
    case 'approved':
      return (
        <p>
          Your name was changed to <strong>{request.requestedName}</strong> on {day(request.decidedAt ?? request.createdAt)}.
        </p>
      );
    case 'refused':
      return (
        <p>
          Your request to change your name to <strong>{request.requestedName}</strong> was not approved
          {request.decisionNote ? `: ${request.decisionNote}` : '.'}
        </p>
      );
    default:
      return <p>You cancelled your request to change your name to {request.requestedName}.</p>;
  }
}

function NameChangeForm({ currentName }: { currentName: string }) {
  const submit = useRequestNameChange();
  const reasonId = useId();
  const { register, handleSubmit, formState, setError, setFocus, reset } = useForm<NameChangeForm>();

  const onSubmit = handleSubmit(async (values) => {
    await submit.mutateAsync({ name: values.name.trim(), reason: values.reason.trim() }).then(
      () => reset(),
      (error: unknown) => {
        const failure = failureOf(error);
        if (failure.statusCode !== 400) return;
        const { byField, rest } = fieldErrors(failure.message, [
          ['reason', /reason/i],
          ['name', /name/i],
        ]);
        const field = byField.name || !byField.reason ? 'name' : 'reason';
        setError(field, { message: byField[field] ?? rest ?? failure.message });
        setFocus(field);
      },
    );
  });
  const unexpected = submit.error && failureOf(submit.error).statusCode !== 400 ? submit.error : null;
  const reasonError = formState.errors.reason?.message;

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-labelledby="name-on-certificates">
      {unexpected && <Alert>{unexpected.message}</Alert>}
      <FormField
        label="New name"
        autoComplete="name"
        hint="Exactly as it should appear on your certificates."
        error={formState.errors.name?.message}
        {...register('name', {
          required: 'Enter the new name',
          maxLength: { value: 200, message: 'The name can be at most 200 characters' },
          validate: (v) => v.trim() !== currentName || 'This is already the name on your certificates',
        })}
      />
      <div className="field">
        <label htmlFor={reasonId}>Reason for the change</label>
        <p className="hint" id={`${reasonId}-hint`}>
          For example: marriage, deed poll, a spelling mistake. The certification body may ask you for evidence.
        </p>
        <textarea
          id={reasonId}
          rows={3}
          aria-invalid={reasonError ? true : undefined}
          aria-describedby={[`${reasonId}-hint`, reasonError && `${reasonId}-error`].filter(Boolean).join(' ')}
          {...register('reason', {
            required: 'Tell us why the name should change',
            maxLength: { value: 1000, message: 'The reason can be at most 1000 characters' },
          })}
        />
        {reasonError && (
          <p className="field-error" id={`${reasonId}-error`}>
            {reasonError}
          </p>
        )}
      </div>
      <div>
        <button type="submit" disabled={submit.isPending}>
          {submit.isPending ? 'Sending…' : 'Request the name change'}
        </button>
      </div>
    </form>
  );
}
