import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { downloadDataExport, useDataExport } from '../api/data-rights';

/** The page the e-mailed link opens: the signed-in owner downloads the zip with the link's token. */
export function DataExportPage() {
  const { exportId = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token');
  const found = useDataExport(exportId);
  const [problem, setProblem] = useState<string | null>(null);
  const [downloaded, setDownloaded] = useState(false);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    if (!token) return;
    setBusy(true);
    setProblem(null);
    await downloadDataExport(exportId, token).then(
      () => setDownloaded(true),
      (error: Error) => setProblem(error.message),
    );
    setBusy(false);
  };

  const expired = found.data?.status === 'expired' || (found.data?.expiresAt && new Date(found.data.expiresAt) <= new Date());
  return (
    <Page title="Your data">
      {found.isError && <Alert>This export is not yours or no longer exists. Ask for your data again from your account page.</Alert>}
      {!token && <Alert>This page needs the link from the e-mail we sent you; open it from there.</Alert>}
      {found.data && expired && (
        <Alert>This link has expired and the file was deleted. Ask for your data again from your account page.</Alert>
      )}
      {found.data?.status === 'queued' && <p role="status">Your data is still being prepared; we will e-mail you when it is ready.</p>}
      {found.data?.status === 'ready' && !expired && token && (
        <>
          <p>
            Your copy is ready ({Math.max(1, Math.round((found.data.sizeBytes ?? 0) / 1024))} KB). The link works until{' '}
            {new Date(found.data.expiresAt!).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}; then the file is
            deleted.
          </p>
          <div>
            <button type="button" onClick={() => void download()} disabled={busy}>
              {busy ? 'Downloading…' : 'Download the zip file'}
            </button>
          </div>
        </>
      )}
      <div role="status" aria-live="polite">
        {downloaded && <Alert kind="success">Downloaded. The zip holds data.json (machine-readable) and your files.</Alert>}
      </div>
      {problem && <Alert>{problem}</Alert>}
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </Page>
  );
}
