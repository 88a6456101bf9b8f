import { useForm } from 'react-hook-form';
import { Alert } from '../../../../components/alert';
import { FormField } from '../../../../components/form-field';
import { useResendVerification } from '../api/resend-verification';

// The same rule as the server's e-mail validation, checked before sending.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Asks for a new verification link. With `email` the address is known (just registered, or the signed-in
 * account) and only the button shows; otherwise the person types the address.
 */
export function ResendVerificationForm({ email, label = 'Resend the link' }: { email?: string; label?: string }) {
  const resend = useResendVerification();
  const { register, handleSubmit, formState } = useForm<{ email: string }>({ defaultValues: { email: email ?? '' } });
  const onSubmit = handleSubmit((values) => resend.mutate(email ?? values.email));
  return (
    <form onSubmit={onSubmit} noValidate className="form">
      {!email && (
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
      )}
      <div>
        <button type="submit" className="button-secondary" disabled={resend.isPending}>
          {resend.isPending ? 'Sending…' : label}
        </button>
      </div>
      {resend.isSuccess && (
        <Alert kind="success">
          If {resend.variables} has an account waiting for confirmation, a new link is on its way. It expires in 24 hours.
        </Alert>
      )}
      {resend.error && <Alert>{resend.error.message}</Alert>}
    </form>
  );
}
