import { Link, Navigate } from 'react-router';
import { Alert } from '../components/alert';
import { Page } from '../components/page';
import { usePublicFramework, useProgramme } from '../lib/programme';
import { CredentialFacts } from '../features/programme/components/credential-facts';
import { CREDENTIAL_PAGES, isCredentialCode } from '../lib/credential-paths';
import { homePathFor, useSession } from '../lib/auth/session';

/** The public start page: the programme, its three credentials and the eight domains, all from the server's files. */
export function HomePage() {
  const { user } = useSession();
  const programme = useProgramme();
  const framework = usePublicFramework();
  if (user) return <Navigate to={homePathFor(user)} replace />;
  const p = programme.data;
  return (
    <Page title={p?.title ?? 'Certification in the Production Safety Framework'}>
      {programme.isPending && <p role="status">Loading…</p>}
      {programme.error && <Alert>The programme could not be loaded: {programme.error.message}. Reload the page to try again.</Alert>}
      {p && (
        <>
          <p className="lead">{p.lead}</p>
          <p>{p.audience}</p>
          <p className="actions">
            <Link className="button" to="/register">
              Create an account
            </Link>
            <Link className="button button-secondary" to="/login">
              Sign in
            </Link>
            <Link className="button button-secondary" to="/self-assessment">
              Assess your practice
            </Link>
          </p>
          <h2>The three certifications</h2>
          <ul className="cards">
            {p.credentials.map((c) => (
              <li key={c.code}>
                <h3>{c.name}</h3>
                <p>
                  <strong>{c.headline}.</strong> {c.summary}
                </p>
                <CredentialFacts credential={c} />
                {isCredentialCode(c.code) && (
                  <p>
                    <Link to={CREDENTIAL_PAGES[c.code]}>More about {c.code}</Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
          <h2>How it works</h2>
          <ol className="steps-list">
            {p.howItWorks.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </>
      )}
      {framework.data && (
        <>
          <h2>The eight domains of the PSF</h2>
          <ol className="domain-list">
            {framework.data.domains.map((d) => (
              <li key={d.code}>
                <Link to={`/framework#${d.code}`}>
                  {d.code} {d.title}
                </Link>
                : {d.summary}
              </li>
            ))}
          </ol>
          <p>
            <Link to="/framework">Read the framework: all 40 criteria, how to cite it, its versions</Link>
          </p>
        </>
      )}
    </Page>
  );
}
