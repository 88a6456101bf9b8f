import { useEffect, useRef } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { homePathFor, useSession } from '../../../../lib/auth/session';
import { useVerifyEmail } from '../api/verify-email';
import { ResendVerificationForm } from '../components/resend-verification-form';

/** The page the verification e-mail links to: it confirms the address as soon as it opens. */
export function VerifyEmailPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const { user } = useSession();
  const verify = useVerifyEmail();
  // A token works once: never send it twice (StrictMode runs effects twice in development).
  const sent = useRef(false);
  const { mutate } = verify;

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token);
  }, [token, mutate]);

  if (token && (verify.isIdle || verify.isPending)) {
    return (
      <Page title="Confirming your e-mail address">
        <p role="status">Confirming your e-mail address…</p>
      </Page>
    );
  }

  if (verify.isSuccess) {
    return (
      <Page title="E-mail address confirmed">
        <Alert kind="success">Thank you: your e-mail address is confirmed.</Alert>
        <p>You can now start the AIDA examination, submit portfolios and book a panel interview.</p>
        <p>
          {user ? (
            <Link className="button" to={homePathFor(user)}>
              Continue
            </Link>
          ) : (
            <Link className="button" to="/login">
              Sign in
            </Link>
          )}
        </p>
      </Page>
    );
  }

  return (
    <Page title="This link does not work">
      <Alert>
        {token
          ? 'This confirmation link is invalid, has expired or has already been used.'
          : 'This confirmation link is incomplete. Open the link from the e-mail again, or copy the whole address into the browser.'}
      </Alert>
      <p>
        Links expire 24 hours after they are sent and work once. If you have already confirmed your address, you can simply{' '}
        {user ? <Link to={homePathFor(user)}>continue</Link> : <Link to="/login">sign in</Link>}.
      </p>
      <h2>Get a new link</h2>
      <p>Enter the address you registered with and we will send a new confirmation link.</p>
      <ResendVerificationForm email={user?.email} label="Send a new link" />
    </Page>
  );
}
