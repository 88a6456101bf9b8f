import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { usePublicHolder } from '../api/holder-page';

const day = (iso: string) => new Date(iso).toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });

/** Public: a holder's valid certificates, at the address they chose to share; each links to its verify page. */
export function HolderPage() {
  const { slug } = useParams();
  const holder = usePublicHolder(slug);
  if (holder.data === null) return <HolderPageNotFound />;
  const title = holder.data?.holderName ? `Certificates held by ${holder.data.holderName}` : 'Certificates';
  return (
    <Page title={title}>
      {holder.isPending && <p role="status">Loading…</p>}
      {holder.error && <Alert>This page could not be loaded: {holder.error.message}. Reload the page to try again.</Alert>}
      {holder.data && holder.data.certificates.length === 0 && <p>This person holds no valid certificate at present.</p>}
      {holder.data && holder.data.certificates.length > 0 && (
        <>
          <p>Valid certificates only. Open one to check it with the issuer and see what it attests.</p>
          <ul className="certificate-list">
            {holder.data.certificates.map((c) => (
              <li key={c.number} className="certificate-card">
                <h2>{c.credential.name}</h2>
                <dl className="meta">
                  <dt>Number</dt>
                  <dd>{c.number}</dd>
                  <dt>Issued</dt>
                  <dd>{day(c.issuedAt)}</dd>
                  <dt>Valid until</dt>
                  <dd>{day(c.expiresAt)}</dd>
                </dl>
                <p>
                  <Link to={new URL(c.verifyUrl).pathname}>
                    Verify {c.number}
                    <span className="visually-hidden"> ({c.credential.name})</span>
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        </>
      )}
    </Page>
  );
}

/** The address names no page: never issued, or its holder turned it off (the two are not told apart). */
function HolderPageNotFound() {
  return (
    <Page title="Page not found">
      <p>There is no public page at this address. Its holder may have turned it off, or the link may be mistyped.</p>
      <p>
        A certificate can still be checked by its number: <Link to="/verify">verify a certificate</Link>.
      </p>
    </Page>
  );
}
