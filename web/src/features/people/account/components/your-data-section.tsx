import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { failureOf } from '../../../../lib/api/errors';
import { type DataExport, useDataExports, useRequestDataExport } from '../api/data-rights';
import { DeleteAccountDialog } from './delete-account-dialog';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function ExportStatus({ latest }: { latest: DataExport }) {
  switch (latest.status) {
    case 'queued':
      return <>We are preparing your data (asked {when(latest.requestedAt)}). We will e-mail you a link when it is ready.</>;
    case 'ready':
      return (
        <>
          Your data is ready: we e-mailed you a link, which works until {when(latest.expiresAt!)} while you are signed in.{' '}
          <Link to={`/account/data-export/${latest.id}`}>Open the download page</Link> and use the link from the e-mail.
        </>
      );
    case 'expired':
      return <>Your last copy expired on {when(latest.expiresAt!)} and was deleted. You can ask for a new one.</>;
    default:
      return <>Your last request could not be completed. Please ask again.</>;
  }
}

/** "Your data" on the account page: a copy of everything we hold (GDPR Art. 15, 20), and deleting the account (Art. 17). */
export function YourDataSection() {
  const exports = useDataExports();
  const request = useRequestDataExport();
  const [deleting, setDeleting] = useState(false);
  const latest = exports.data?.[0];
  const refusal = request.error ? failureOf(request.error) : null;

  return (
    <>
      <h3 id="download-my-data">Download my data</h3>
      <p>
        A copy of everything the platform holds about you — account, exam attempts, portfolios with their attachments, feedback, panel
        bookings, certificates, the e-mails we sent you and the audit record about you — as a zip file with machine-readable JSON.
      </p>
      <div role="status" aria-live="polite">
        {latest && (
          <p>
            <ExportStatus latest={latest} />
          </p>
        )}
        {request.isSuccess && <Alert kind="success">Thank you. We are preparing your data and will e-mail you a link.</Alert>}
      </div>
      {refusal && <Alert kind={refusal.statusCode === 409 || refusal.statusCode === 429 ? 'info' : 'error'}>{refusal.message}</Alert>}
      <div>
        <button type="button" onClick={() => request.mutate()} disabled={request.isPending || latest?.status === 'queued'}>
          {request.isPending ? 'Asking…' : 'Download my data'}
        </button>
      </div>

      <h3 id="delete-my-account">Delete my account</h3>
      <p>
        Deleting your account erases your personal data and signs you out for good. Certificates already issued stay publicly verifiable,
        and the record of decisions is kept without your details (see “Personal data” in the platform’s documentation).
      </p>
      <div>
        <button type="button" className="button-secondary" onClick={() => setDeleting(true)}>
          Delete my account…
        </button>
      </div>
      <DeleteAccountDialog open={deleting} onClose={() => setDeleting(false)} />
    </>
  );
}
