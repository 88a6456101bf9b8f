import { Link } from 'react-router';
import { Page } from '../../components/page';
import { useSession } from '../../lib/auth/session';

export function CandidateHome() {
  const { user } = useSession();
  return (
    <Page title="My certification">
      <p>Welcome, {user?.fullName}.</p>
      <h2>Credentials</h2>
      <ul className="cards">
        <li>
          <h3>AIDA</h3>
          <p>A free, timed 20-question examination across the eight PSF domains.</p>
          <p>
            <Link to="/candidate/aida">AIDA examination</Link>
          </p>
        </li>
        <li>
          <h3>CPAP</h3>
          <p>A portfolio on a real production deployment, reviewed against domains D01–D07.</p>
          <p>
            <Link to="/candidate/portfolio/cpap">CPAP portfolio</Link>
          </p>
        </li>
        <li>
          <h3>CPAA</h3>
          <p>A portfolio on all eight domains followed by a structured panel interview.</p>
          <p>
            <Link to="/candidate/portfolio/cpaa">CPAA portfolio</Link>
          </p>
          <p>
            <Link to="/candidate/cpaa/interview">CPAA panel interview</Link>
          </p>
        </li>
      </ul>
    </Page>
  );
}
