import { useForm } from 'react-hook-form';
import { Link, useNavigate } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { type RegisterRequest, useRegister } from '../api/register';

// The same rules as RegisterDto on the server.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_PASSWORD = 12;

export function RegisterPage() {
  const navigate = useNavigate();
  const registration = useRegister();
  const { register, handleSubmit, formState } = useForm<RegisterRequest>();

  const onSubmit = handleSubmit(async (values) => {
    const created = await registration.mutateAsync(values).catch(() => null);
    if (created) await navigate('/login', { state: { registered: true } });
  });

  return (
    <Page title="Create your account">
      <p>One account for the AIDA examination, CPAP and CPAA portfolios, and your certificates.</p>
      {registration.error && <Alert>{registration.error.message}</Alert>}
      <form onSubmit={onSubmit} noValidate className="form">
        <FormField
          label="Full name"
          hint="As it should appear on your certificates."
          autoComplete="name"
          error={formState.errors.fullName?.message}
          {...register('fullName', { required: 'Enter your full name', maxLength: { value: 200, message: 'Use at most 200 characters' } })}
        />
        <FormField
          label="Email"
          type="email"
          autoComplete="email"
          error={formState.errors.email?.message}
          {...register('email', {
            required: 'Enter your email address',
            pattern: { value: EMAIL, message: 'Enter an email address like name@example.org' },
          })}
        />
        <FormField
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD} characters. A passphrase of several words works well.`}
          error={formState.errors.password?.message}
          {...register('password', {
            required: 'Choose a password',
            minLength: { value: MIN_PASSWORD, message: `Use at least ${MIN_PASSWORD} characters` },
          })}
        />
        <button type="submit" disabled={registration.isPending}>
          {registration.isPending ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already registered? <Link to="/login">Sign in</Link>
      </p>
    </Page>
  );
}
