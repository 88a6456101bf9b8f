import { type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { needsSecondFactor, type Role, useSession } from '../lib/auth/session';
import { Page } from './page';

/**
 * Client-side gate for an area; the API enforces the same roles on every call. `role` may list
 * several: any one of them opens the area. Used as a layout route, it renders the child route.
 * A staff account without a second factor is sent to enrol one first (the API refuses it
 * everything else), except on the account page itself (`enrolment`).
 */
export function RequireRole({ role, enrolment = false, children }: { role: Role | Role[]; enrolment?: boolean; children?: ReactNode }) {
  const { user, loading } = useSession();
  const location = useLocation();
  if (loading) return <p role="status">Loading…</p>;
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (!enrolment && needsSecondFactor(user)) return <Navigate to="/account" replace state={{ from: location.pathname }} />;
  if (!([] as Role[]).concat(role).some((r) => user.roles.includes(r))) {
    return (
      <Page title="Not available">
        <p>Your account does not have access to this area.</p>
      </Page>
    );
  }
  return children ? <>{children}</> : <Outlet />;
}
