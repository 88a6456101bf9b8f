import type { Person } from '../api/people';

/** The account's standing in words and colour together (never colour alone). */
export function StandingBadge({ person }: { person: Pick<Person, 'deactivatedAt' | 'passwordResetRequired'> }) {
  if (person.deactivatedAt) return <span className="status-badge status-revoked">Deactivated</span>;
  if (person.passwordResetRequired) return <span className="status-badge status-suspended">Password reset required</span>;
  return <span className="status-badge status-active">Active</span>;
}
