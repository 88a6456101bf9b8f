import { useRef, useState } from 'react';
import { Alert } from '../../../../components/alert';
import { DataTable } from '../../../../components/data-table';
import { failureOf } from '../../../../lib/api/errors';
import { type SignedInSession, useEndOtherSessions, useEndSession, useSessions } from '../api/sessions';

const WHEN = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

const METHODS: Record<string, string> = {
  password: 'Password',
  totp: 'Password and app code',
  recovery_code: 'Password and recovery code',
  passkey: 'Passkey',
};

/** "Sign out" for each device, and for all the others at once; the result is announced in a status message. */
export function SessionsSection({ onSignedOutHere }: { onSignedOutHere: () => void }) {
  const sessions = useSessions();
  const endOne = useEndSession();
  const endOthers = useEndOtherSessions();
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  const done = (message: string) => {
    setError(null);
    setStatus(message);
    // Focus follows the result, since the button that was pressed may have left the table.
    statusRef.current?.focus();
  };
  const failed = (e: unknown) => {
    setStatus(null);
    setError(failureOf(e).message);
  };

  const signOut = (s: SignedInSession) =>
    endOne.mutate(s.id, {
      onSuccess: () => (s.current ? onSignedOutHere() : done(`Signed out ${s.client}, signed in ${WHEN.format(new Date(s.createdAt))}.`)),
      onError: failed,
    });
  const signOutOthers = () =>
    endOthers.mutate(undefined, {
      onSuccess: ({ ended }) =>
        done(ended === 0 ? 'You were not signed in anywhere else.' : `Signed out ${ended} other ${ended === 1 ? 'device' : 'devices'}.`),
      onError: failed,
    });

  const rows = sessions.data ?? [];
  const others = rows.filter((s) => !s.current).length;
  return (
    <>
      <p>
        Where your account is signed in. If you do not recognise a device, sign it out and change your password. Sessions end by themselves
        after their maximum length.
      </p>
      <div ref={statusRef} tabIndex={-1} role="status" aria-live="polite">
        {status && <p className="alert alert-success">{status}</p>}
      </div>
      {error && <Alert>{error}</Alert>}
      {sessions.isPending ? (
        <p role="status">Loading sessions…</p>
      ) : sessions.isError ? (
        <Alert>{failureOf(sessions.error).message}</Alert>
      ) : (
        <DataTable
          caption="Signed-in devices"
          captionHidden
          rows={rows}
          rowKey={(s) => s.id}
          empty="No sessions."
          columns={[
            {
              header: 'Device',
              rowHeader: true,
              cell: (s) => (
                <>
                  {s.client}
                  {s.current && <> (this device)</>}
                </>
              ),
            },
            { header: 'Address', cell: (s) => s.ipAddress ?? 'Unknown' },
            { header: 'Signed in', cell: (s) => <time dateTime={s.createdAt}>{WHEN.format(new Date(s.createdAt))}</time> },
            { header: 'Last used', cell: (s) => <time dateTime={s.lastUsedAt}>{WHEN.format(new Date(s.lastUsedAt))}</time> },
            { header: 'With', cell: (s) => (s.signInMethod ? METHODS[s.signInMethod] : 'Not recorded') },
            {
              header: <span className="visually-hidden">Actions</span>,
              cell: (s) => (
                <button
                  type="button"
                  className="button-secondary"
                  disabled={endOne.isPending}
                  onClick={() => signOut(s)}
                  aria-label={`Sign out ${s.client}${s.current ? ' (this device)' : ''}, signed in ${WHEN.format(new Date(s.createdAt))}`}
                >
                  Sign out
                </button>
              ),
            },
          ]}
        />
      )}
      {others > 0 && (
        <p>
          <button type="button" onClick={signOutOthers} disabled={endOthers.isPending}>
            {endOthers.isPending ? 'Signing out…' : 'Sign out all other devices'}
          </button>
        </p>
      )}
    </>
  );
}
