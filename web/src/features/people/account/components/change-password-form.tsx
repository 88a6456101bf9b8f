import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { failureOf, fieldErrors } from '../../../../lib/api/errors';
import { useChangePassword } from '../api/change-password';
import { confirmationRules, NEW_PASSWORD_HINT, newPasswordRules } from '../../lib/password-rules';

interface ChangePasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmation: string;
}

export function ChangePasswordForm() {
  const change = useChangePassword();
  const { register, handleSubmit, formState, setError, setFocus, getValues, reset } = useForm<ChangePasswordForm>();

  const onSubmit = handleSubmit(async ({ currentPassword, newPassword }) => {
    await change.mutateAsync({ currentPassword, newPassword }).then(
      () => reset(),
      (error: unknown) => {
        const failure = failureOf(error);
        if (failure.statusCode === 401) {
          setError('currentPassword', { message: 'Your current password is not right' });
          setFocus('currentPassword');
        } else if (failure.statusCode === 400) {
          const { byField, rest } = fieldErrors(failure.message, [['newPassword', /password|passphrase/i]]);
          setError('newPassword', { message: byField.newPassword ?? rest ?? failure.message });
          setFocus('newPassword');
        }
      },
    );
  });
  const unexpected = change.error && ![400, 401].includes(failureOf(change.error).statusCode ?? 0) ? change.error : null;

  return (
    <form onSubmit={onSubmit} noValidate className="form" aria-labelledby="change-password">
      {change.isSuccess && <Alert kind="success">Your password has been changed. You have been signed out on every other device.</Alert>}
      {unexpected && <Alert>{unexpected.message}</Alert>}
      <FormField
        label="Current password"
        type="password"
        autoComplete="current-password"
        error={formState.errors.currentPassword?.message}
        {...register('currentPassword', { required: 'Enter your current password' })}
      />
      <FormField
        label="New password"
        type="password"
        autoComplete="new-password"
        hint={NEW_PASSWORD_HINT}
        error={formState.errors.newPassword?.message}
        {...register('newPassword', newPasswordRules('Choose a new password'))}
      />
      <FormField
        label="Confirm new password"
        type="password"
        autoComplete="new-password"
        error={formState.errors.confirmation?.message}
        {...register(
          'confirmation',
          confirmationRules(() => getValues('newPassword')),
        )}
      />
      <div>
        <button type="submit" disabled={change.isPending}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}
