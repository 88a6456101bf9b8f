import { Link } from 'react-router';
import type { User } from '../../../lib/auth/session';
import type { NextStep } from '../lib/scoring';

const NAMES: Record<NextStep['credential'], string> = {
  AIDA: 'AIDA, the free examination',
  CPAP: 'CPAP, the practitioner portfolio',
  CPAA: 'CPAA, the assessor portfolio and panel interview',
};

/** Where a candidate acts on each suggestion (the candidate pages); anyone signed out starts by creating an account. */
const CANDIDATE_PATHS: Record<NextStep['credential'], string> = {
  AIDA: '/candidate/aida',
  CPAP: '/candidate/portfolio/CPAP',
  CPAA: '/candidate/portfolio/CPAA',
};

export function NextStepAdvice({ step, user }: { step: NextStep | null; user: User | null }) {
  if (!step) return <p>Rate some criteria to see the next step this self-assessment suggests.</p>;
  return (
    <div className="sa-next-step">
      <p>
        <strong>Suggested next step: {NAMES[step.credential]}.</strong> {step.reason}
      </p>
      {!user && (
        <p className="sa-no-print">
          <Link to="/register">Create a free account to start</Link> (or <Link to="/login">sign in</Link>).
        </p>
      )}
      {user?.roles.includes('candidate') && (
        <p className="sa-no-print">
          <Link to={CANDIDATE_PATHS[step.credential]}>Go to {step.credential}</Link>
        </p>
      )}
    </div>
  );
}
