import { useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { failureOf } from '../../../../lib/api/errors';
import { useSession } from '../../../../lib/auth/session';
import { useConfirmEmailChange } from '../api/confirm-email-change';

/** The page the new address's link opens: it makes the change as soon as it opens (every session then ends). */
export function ConfirmEmailChangePage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const session = useSession();
  const confirm = useConfirmEmailChange();
  // A token works once: never send it twice (StrictMode runs effects twice in development).
  const sent = useRef(false);
  const [changed, setChanged] = useState(false);
  const { mutate } = confirm;
  const signedIn = Boolean(session.user);
  const { signOut } = session;

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    mutate(token, {
      onSuccess: () => {
        setChanged(true);
        // Every session of the account has ended, this tab's too: forget it here as well.
        if (signedIn) void signOut().catch(() => undefined);
      },
    });
  }, [token, mutate, signOut, signedIn]);

  if (changed) {
    return (
      <Page title="E-mail address changed">
        <Alert kind="success">Your e-mail address is changed.</Alert>
        <p>You have been signed out on every device. Sign in again with your new address.</p>
        <p>
          <Link className="button" to="/login">
            Sign in
          </Link>
        </p>
      </Page>
    );
  }

  if (token && !confirm.isError) {
    return (
      <Page title="Changing your e-mail address">
        <p role="status">Changing your e-mail address…</p>
      </Page>
    );
  }

  const failure = confirm.error ? failureOf(confirm.error) : null;
  return (
    <Page title="Your e-mail address was not changed">
      <Alert>
        {!token
          ? 'This link is incomplete. Open the link from the e-mail again, or copy the whole address into the browser.'
          : failure?.statusCode === 409
            ? failure.message
            : 'This link is invalid, has expired or has already been used.'}
      </Alert>
      <p>
        Links expire 24 hours after they are sent and work once; asking for another change makes earlier links stop working. You can ask
        again from your <Link to="/account">account</Link> page.
      </p>
    </Page>
  );
}
