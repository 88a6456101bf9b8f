import { useState } from 'react';
import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { StatusBadge } from '../../../components/status-badge';
import { type Certificate, downloadPdf, useMyCertificates } from '../api/certificates';
import { HolderPageSetting } from '../components/holder-page-setting';
import { ShareCertificate } from '../components/share-certificate';

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

export function MyCertificatesPage() {
  const certificates = useMyCertificates();
  const [error, setError] = useState<string | null>(null);
  return (
    <Page title="My certificates">
      {certificates.error && <Alert>{certificates.error.message}</Alert>}
      {error && <Alert>{error}</Alert>}
      {certificates.isPending && <p role="status">Loading your certificates…</p>}
      {certificates.data?.length === 0 && (
        <p>
          You have no certificates yet. Pass the <Link to="/candidate/aida">AIDA examination</Link> to earn your first.
        </p>
      )}
      <ul className="certificate-list">
        {certificates.data?.map((c: Certificate) => (
          <li key={c.id} className="certificate-card">
            <h2>{c.credential.name}</h2>
            <p>
              <StatusBadge status={c.supersededBy ? 'superseded' : c.status} />
              {c.supersededBy && <> Re-issued under your new name as {c.supersededBy}; this number is no longer valid.</>}
            </p>
            <dl className="meta">
              <dt>Number</dt>
              <dd>{c.number}</dd>
              <dt>Holder</dt>
              <dd>{c.holderName}</dd>
              <dt>Issued</dt>
              <dd>{day(c.issuedAt)}</dd>
              <dt>Valid until</dt>
              <dd>{day(c.expiresAt)}</dd>
            </dl>
            <div className="actions">
              <button type="button" onClick={() => downloadPdf(c).catch((e: Error) => setError(e.message))}>
                Download PDF<span className="visually-hidden"> of {c.number}</span>
              </button>
              <a className="button button-secondary" href={c.credentialUrl} download={`${c.number}.jwt`}>
                Download Open Badge<span className="visually-hidden"> of {c.number}</span>
              </a>
              <Link className="button button-secondary" to={`/verify/${c.number}`}>
                Verification page<span className="visually-hidden"> of {c.number}</span>
              </Link>
            </div>
            {c.status === 'active' && !c.supersededBy && <ShareCertificate certificate={c} />}
          </li>
        ))}
      </ul>
      {Boolean(certificates.data?.length) && <HolderPageSetting />}
    </Page>
  );
}
