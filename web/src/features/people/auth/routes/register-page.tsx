import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { Page } from '../../../../components/page';
import { failureOf, fieldErrors } from '../../../../lib/api/errors';
import { type RegisterRequest, useRegister } from '../api/register';
import { ResendVerificationForm } from '../components/resend-verification-form';
import { NEW_PASSWORD_HINT, newPasswordRules } from '../../lib/password-rules';

// The same rules as RegisterDto on the server.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const FIELDS: Array<[keyof RegisterRequest, RegExp]> = [
  ['password', /password|passphrase/i],
  ['email', /e-?mail|address/i],
  ['fullName', /name/i],
];

export function RegisterPage() {
  const registration = useRegister();
  const { register, handleSubmit, formState, setError, setFocus } = useForm<RegisterRequest>();
  const [formError, setFormError] = useState<string | null>(null);

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    await registration.mutateAsync(values).catch((error: unknown) => {
      const failure = failureOf(error);
      if (failure.statusCode !== 400) return setFormError(failure.message);
      // A weak or breached password, a bad address: shown on (and tied to) the field it is about.
      const { byField, rest } = fieldErrors(failure.message, FIELDS);
      const first = FIELDS.map(([f]) => f).find((f) => byField[f]);
      for (const [field, message] of Object.entries(byField) as Array<[keyof RegisterRequest, string]>) setError(field, { message });
      if (first) setFocus(first);
      setFormError(rest);
    });
  });

  if (registration.isSuccess) {
    const email = registration.variables.email;
    return (
      <Page title="Check your e-mail">
        <p>
          We sent a link to <strong>{email}</strong>. Open it to confirm your address and finish creating your account. The link expires in
          24 hours.
        </p>
        <p>
          You can sign in and prepare now; starting an exam, submitting a portfolio and booking a panel wait until your address is
          confirmed.
        </p>
        <h2>No e-mail?</h2>
        <p>Check your spam folder, or ask for a new link.</p>
        <ResendVerificationForm email={email} />
        <p>
          <Link to="/login">Go to sign in</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Create your account">
      <p>One account for the AIDA examination, CPAP and CPAA portfolios, and your certificates.</p>
      {formError && <Alert>{formError}</Alert>}
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
          hint={NEW_PASSWORD_HINT}
          error={formState.errors.password?.message}
          {...register('password', newPasswordRules('Choose a password'))}
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
