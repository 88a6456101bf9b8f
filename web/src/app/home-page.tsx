import { Link, Navigate } from 'react-router';
import { Page } from '../components/page';
import { homePathFor, useSession } from '../lib/auth/session';

export function HomePage() {
  const { user } = useSession();
  if (user) return <Navigate to={homePathFor(user)} replace />;
  return (
    <Page title="Certification in the Production Safety Framework">
      <p>
        Show that you run AI safely in production. The platform runs the three PSF certifications: the AIDA examination, the CPAP
        practitioner portfolio and the CPAA assessor portfolio with panel interview.
      </p>
      <p className="actions">
        <Link className="button" to="/register">
          Create an account
        </Link>
        <Link className="button button-secondary" to="/login">
          Sign in
        </Link>
      </p>
    </Page>
  );
}
