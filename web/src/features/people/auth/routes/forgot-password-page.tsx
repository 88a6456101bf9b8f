import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { useForgotPassword } from '../api/forgot-password';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function ForgotPasswordPage() {
  const forgot = useForgotPassword();
  const { register, handleSubmit, formState } = useForm<{ email: string }>();
  const onSubmit = handleSubmit((values) => forgot.mutate(values.email));

  if (forgot.isSuccess) {
    return (
      <Page title="Check your e-mail">
        <p>
          If <strong>{forgot.variables}</strong> has an account, we have sent it a link to choose a new password. The link expires in 1 hour
          and works once.
        </p>
        <p>
          No e-mail after a few minutes? Check your spam folder, or{' '}
          <button type="button" className="link-button" onClick={() => forgot.reset()}>
            ask again
          </button>
          .
        </p>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Reset your password">
      <p>Enter the e-mail address of your account and we will send you a link to choose a new password.</p>
      {forgot.error && <Alert>{forgot.error.message}</Alert>}
      <form onSubmit={onSubmit} noValidate className="form">
        <FormField
          label="Email"
          type="email"
          autoComplete="username"
          error={formState.errors.email?.message}
          {...register('email', {
            required: 'Enter your email address',
            pattern: { value: EMAIL, message: 'Enter an email address like name@example.org' },
          })}
        />
        <button type="submit" disabled={forgot.isPending}>
          {forgot.isPending ? 'Sending…' : 'Send the link'}
        </button>
      </form>
      <p>
        Remembered it? <Link to="/login">Sign in</Link>
      </p>
    </Page>
  );
}
