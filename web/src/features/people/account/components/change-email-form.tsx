import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf, fieldErrors } from '../../../../lib/api/errors';
import { useRequestEmailChange } from '../api/change-email';

interface ChangeEmailForm {
  newEmail: string;
  password: string;
}

/** The new address takes effect only when the link sent to it is opened; the current address is told. */
export function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const change = useRequestEmailChange();
  const { register, handleSubmit, formState, setError, setFocus, reset } = useForm<ChangeEmailForm>();

  const onSubmit = handleSubmit(async (values) => {
    await change.mutateAsync({ newEmail: values.newEmail.trim(), password: values.password }).then(
      () => reset(),
      (error: unknown) => {
        const failure = failureOf(error);
        if (failure.statusCode === 401) {
          setError('password', { message: 'Your password is not right' });
          setFocus('password');
        } else if (failure.statusCode === 400) {
          const { byField, rest } = fieldErrors(failure.message, [
            ['password', /password/i],
            ['newEmail', /email|address/i],
          ]);
          const field = byField.password ? 'password' : 'newEmail';
          setError(field, { message: byField[field] ?? rest ?? failure.message });
          setFocus(field);
        }
      },
    );
  });
  const unexpected = change.error && ![400, 401].includes(failureOf(change.error).statusCode ?? 0) ? change.error : null;

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-labelledby="email-address">
      <div role="status" aria-live="polite">
        {change.isSuccess && (
          <p className="alert alert-success">
            {change.data?.message} Your address stays {currentEmail} until then.
          </p>
        )}
      </div>
      {unexpected && <Alert>{unexpected.message}</Alert>}
      <FormField
        label="New e-mail address"
        type="email"
        autoComplete="email"
        hint="We send a link to it; the change takes effect when you open it (within 24 hours). Opening it signs you out everywhere."
        error={formState.errors.newEmail?.message}
        {...register('newEmail', {
          required: 'Enter the new address',
          pattern: { value: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, message: 'Enter an e-mail address, like name@example.org' },
          validate: (v) => v.trim().toLowerCase() !== currentEmail.toLowerCase() || 'This is already your address',
        })}
      />
      <FormField
        label="Your password"
        type="password"
        autoComplete="current-password"
        error={formState.errors.password?.message}
        {...register('password', { required: 'Enter your password' })}
      />
      <div>
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? 'Sending…' : 'Change e-mail address'}
        </button>
      </div>
    </form>
  );
}
