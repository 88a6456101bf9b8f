import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { useAchievement, useProgrammeForVerify } from '../api/credential-meaning';

/**
 * What a certificate means to someone checking it: what it attests and on which PSF domains, the criteria it was
 * awarded against, and who issued it. (The PSF attribution, CC BY 4.0, is in every page's footer.)
 */
export function CredentialMeaning({ code }: { code: string }) {
  const programme = useProgrammeForVerify();
  const achievement = useAchievement(code);
  const credential = programme.data?.credentials.find((c) => c.code === code);
  // Each credential of the programme has its public page at /credentials/<code in lower case>.
  const page = credential ? `/credentials/${credential.code.toLowerCase()}` : null;
  return (
    <>
      {(programme.isPending || achievement.isPending) && <p role="status">Loading what this credential attests…</p>}
      {(programme.error || achievement.error) && (
        <Alert>What this credential attests could not be loaded; reload the page to try again.</Alert>
      )}
      {credential && (
        <section aria-labelledby="attests">
          <h3 id="attests">What it attests</h3>
          <p>{credential.attests}</p>
          <h4>PSF domains covered</h4>
          <ul className="domain-list">
            {credential.domains.map((d) => (
              <li key={d.code}>
                <Link to={`/framework#${d.code}`}>
                  {d.code} {d.title}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {achievement.data && (
        <>
          <section aria-labelledby="criteria">
            <h3 id="criteria">Criteria</h3>
            <p>{achievement.data.criteria.narrative}</p>
            {page && (
              <p>
                <Link to={page}>
                  About the {code} credential<span className="visually-hidden">: requirements and steps</span>
                </Link>
              </p>
            )}
          </section>
          <section aria-labelledby="issuer">
            <h3 id="issuer">Issuer</h3>
            <p>
              {achievement.data.creator.name} (<a href={achievement.data.creator.id}>issuer profile</a>)
            </p>
          </section>
        </>
      )}
    </>
  );
}
