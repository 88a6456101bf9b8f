import { type Certificate, linkedInUrl } from '../api/certificates';
import { CopyButton } from './copy-button';

/**
 * Ways to show a certificate to others: its verification link (anyone can check it there) and LinkedIn's
 * "Add to profile" form with the certification's fields filled in. Only a valid certificate is worth sharing.
 */
export function ShareCertificate({ certificate: c }: { certificate: Certificate }) {
  const headingId = `share-${c.id}`;
  return (
    <section aria-labelledby={headingId} className="share">
      <h3 id={headingId}>
        Share<span className="visually-hidden"> {c.number}</span>
      </h3>
      <p>
        Anyone can check your certificate at <a href={c.verifyUrl}>{c.verifyUrl}</a>
      </p>
      <p className="actions">
        <a className="button button-secondary" href={linkedInUrl(c)} target="_blank" rel="noopener noreferrer">
          Add to LinkedIn profile<span className="visually-hidden"> (opens a new tab)</span>
        </a>
        {/* Last in the row: its status message follows it. */}
        <CopyButton text={c.verifyUrl} label="Copy the verification link" what={`of ${c.number}`} />
      </p>
    </section>
  );
}
