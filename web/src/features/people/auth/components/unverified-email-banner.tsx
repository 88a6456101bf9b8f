import { useSession } from '../../../../lib/auth/session';
import { useResendVerification } from '../api/resend-verification';

/** Shown on every signed-in page until the account's e-mail address is confirmed. */
export function UnverifiedEmailBanner() {
  const { user } = useSession();
  const resend = useResendVerification();
  if (!user || user.emailVerified) return null;
  return (
    <div className="alert alert-info banner" role="status">
      <p>
        <strong>Confirm your e-mail address to start an exam, submit a portfolio or book a panel.</strong> We sent a link to {user.email}.
      </p>
      <p className="actions">
        <button type="button" className="button-secondary" disabled={resend.isPending} onClick={() => resend.mutate(user.email)}>
          {resend.isPending ? 'Sending…' : 'Resend the link'}
        </button>
      </p>
      {resend.isSuccess && <p>A new link is on its way to {user.email}. It expires in 24 hours.</p>}
      {resend.error && <p className="field-error">{resend.error.message}</p>}
    </div>
  );
}
