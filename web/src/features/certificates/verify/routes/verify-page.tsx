import { type FormEvent, useId, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert } from '../../../../components/alert';
import { Page } from '../../../../components/page';
import { StatusBadge } from '../../../../components/status-badge';
import { useCertificateLookup } from '../api/verify';
import { CredentialMeaning } from '../components/credential-meaning';

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

const VERDICT: Record<string, string> = {
  active: 'This certificate is valid.',
  suspended: 'This certificate is suspended: it is not valid while the suspension lasts.',
  revoked: 'This certificate has been revoked: it is not valid.',
  expired: 'This certificate has expired: it is no longer valid.',
};

/** Public page: anyone can check one certificate by its number (no listing of holders). */
export function VerifyPage() {
  const { number } = useParams();
  const navigate = useNavigate();
  const [typed, setTyped] = useState(number ?? '');
  const inputId = useId();
  const lookup = useCertificateLookup(number);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim()) void navigate(`/verify/${encodeURIComponent(typed.trim())}`);
  };
  const found = lookup.data && !('notFound' in lookup.data) ? lookup.data : null;
  const unknown = Boolean(lookup.data && 'notFound' in lookup.data);
  const title = !number ? 'Verify a certificate' : unknown ? `No certificate has the number ${number}` : `Certificate ${number}`;

  return (
    <Page title={title}>
      <form onSubmit={submit} className="form verify-form" role="search" aria-label="Verify a certificate">
        <div className="field">
          <label htmlFor={inputId}>Certificate number</label>
          <p className="hint" id={`${inputId}-hint`}>
            As printed on the certificate, for example PSF-7K2QM-X9D4T-R. The last character catches typing mistakes.
          </p>
          <input
            id={inputId}
            aria-describedby={`${inputId}-hint`}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
          />
        </div>
        <button type="submit">Verify</button>
      </form>
      {lookup.isFetching && <p role="status">Checking…</p>}
      {lookup.error && <Alert>{lookup.error.message}</Alert>}
      {lookup.data && 'notFound' in lookup.data && <Alert>{lookup.data.notFound}</Alert>}
      {found && (
        <section aria-labelledby="verdict" className={`verdict verdict-${found.status}`}>
          {found.supersededBy ? (
            // Re-issued under the holder's new name (an approved name change): replaced, not revoked for cause.
            <>
              <h2 id="verdict">
                <StatusBadge status="superseded" /> This certificate was superseded by{' '}
                <Link to={`/verify/${found.supersededBy}`}>{found.supersededBy}</Link>.
              </h2>
              <p>
                It was re-issued under the holder's new name with the same dates, so this number is no longer valid. It was not revoked for
                cause: check the new number.
              </p>
            </>
          ) : (
            <h2 id="verdict">
              <StatusBadge status={found.status} /> {VERDICT[found.status]}
            </h2>
          )}
          <img
            className="verify-badge"
            src={`/api/public/achievements/${encodeURIComponent(found.credential.code)}/image.svg`}
            alt={`${found.credential.name} badge`}
            width={120}
            height={120}
          />
          <dl className="meta">
            <dt>Holder</dt>
            <dd>{found.holderName}</dd>
            <dt>Credential</dt>
            <dd>
              {found.credential.name} ({found.credential.code})
            </dd>
            <dt>Number</dt>
            <dd>{found.number}</dd>
            <dt>Issued</dt>
            <dd>{day(found.issuedAt)}</dd>
            <dt>Valid until</dt>
            <dd>{day(found.expiresAt)}</dd>
          </dl>
          <CredentialMeaning code={found.credential.code} />
          <p className="hint">
            Machine-verifiable: the signed <a href={found.credentialUrl}>Open Badges 3.0 credential</a> and the issuer's{' '}
            <a href="/.well-known/jwks.json">public keys</a>.
          </p>
        </section>
      )}
    </Page>
  );
}
