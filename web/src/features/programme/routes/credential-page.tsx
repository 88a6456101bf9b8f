import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useSession } from '../../../lib/auth/session';
import { useProgramme } from '../../../lib/programme';
import { CredentialFacts } from '../components/credential-facts';
import { CANDIDATE_PAGES, type CredentialCode } from '../../../lib/credential-paths';

/** One credential's public page: what it attests, for whom, the steps, the figures and the domains it covers. */
export function CredentialPage({ code }: { code: CredentialCode }) {
  const { user } = useSession();
  const programme = useProgramme();
  const c = programme.data?.credentials.find((x) => x.code === code);
  return (
    <Page title={c?.name ?? code}>
      {programme.isPending && <p role="status">Loading…</p>}
      {programme.error && <Alert>This page could not be loaded: {programme.error.message}. Reload the page to try again.</Alert>}
      {c && (
        <>
          <p className="lead">{c.headline}.</p>
          <h2>What it attests</h2>
          <p>{c.attests}</p>
          <h2>Who it is for</h2>
          <p>{c.audience}</p>
          <h2>At a glance</h2>
          <CredentialFacts credential={c} full />
          <h2>Steps</h2>
          <ol className="steps-list">
            {c.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          <h2>Domains covered</h2>
          <ul className="domain-list">
            {c.domains.map((d) => (
              <li key={d.code}>
                <Link to={`/framework#${d.code}`}>
                  {d.code} {d.title}
                </Link>{' '}
                ({d.criteria} criteria)
              </li>
            ))}
          </ul>
          <p className="actions">
            {user?.roles.includes('candidate') ? (
              <Link className="button" to={CANDIDATE_PAGES[code]}>
                Go to your {code}
              </Link>
            ) : user ? null : (
              <>
                <Link className="button" to="/register">
                  Create an account to start
                </Link>
                <Link className="button button-secondary" to="/login">
                  Sign in
                </Link>
              </>
            )}
          </p>
        </>
      )}
    </Page>
  );
}
