import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { failureOf, fieldErrors } from '../../../../lib/api/errors';
import { useSession } from '../../../../lib/auth/session';
import { useResetPassword } from '../api/reset-password';
import { confirmationRules, NEW_PASSWORD_HINT, newPasswordRules } from '../../lib/password-rules';

interface ResetForm {
  password: string;
  confirmation: string;
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const session = useSession();
  const navigate = useNavigate();
  const reset = useResetPassword();
  const { register, handleSubmit, formState, setError, setFocus, getValues } = useForm<ResetForm>();
  const [linkError, setLinkError] = useState<string | null>(token ? null : 'This reset link is incomplete.');

  const onSubmit = handleSubmit(async (values) => {
    setLinkError(null);
    const done = await reset.mutateAsync({ token, password: values.password }).catch((error: unknown) => {
      const failure = failureOf(error);
      const { byField, rest } = fieldErrors(failure.message, [['password', /password|passphrase/i]]);
      if (failure.statusCode === 400 && byField.password && !/token|link/i.test(failure.message)) {
        setError('password', { message: byField.password });
        setFocus('password');
      } else setLinkError(rest ?? failure.message);
      return null;
    });
    if (done === null) return;
    // Every session of the account has ended, this tab's too.
    if (session.user) await session.signOut().catch(() => undefined);
    await navigate('/login', { replace: true, state: { passwordReset: true } });
  });

  return (
    <Page title="Choose a new password">
      {linkError && (
        <Alert>
          {linkError} Reset links expire 1 hour after they are sent and work once. <Link to="/forgot-password">Ask for a new link</Link>.
        </Alert>
      )}
      <p>Choosing a new password signs you out everywhere, on every device.</p>
      <form onSubmit={onSubmit} noValidate className="form">
        <FormField
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={NEW_PASSWORD_HINT}
          error={formState.errors.password?.message}
          {...register('password', newPasswordRules('Choose a new password'))}
        />
        <FormField
          label="Confirm new password"
          type="password"
          autoComplete="new-password"
          error={formState.errors.confirmation?.message}
          {...register(
            'confirmation',
            confirmationRules(() => getValues('password')),
          )}
        />
        <button type="submit" disabled={reset.isPending || !token}>
          {reset.isPending ? 'Saving…' : 'Save the new password'}
        </button>
      </form>
    </Page>
  );
}
