import { type ReactNode } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { homePathFor, type Role, useSession } from '../lib/auth/session';
import { PsfAttribution } from './psf-attribution';

const AREAS: Array<{ role: Role; to: string; label: string }> = [
  { role: 'candidate', to: '/candidate', label: 'My certification' },
  { role: 'candidate', to: '/candidate/certificates', label: 'My certificates' },
  { role: 'reviewer', to: '/reviewer', label: 'Reviews' },
  { role: 'reviewer', to: '/reviewer/panels', label: 'Panels' },
  { role: 'admin', to: '/admin', label: 'Administration' },
];

/** `notices`: shown above every page while signed in (the app passes the feature banners that need it). */
export function Layout({ notices }: { notices?: ReactNode }) {
  const { user, signOut, loading } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="site-header">
        <NavLink to={user ? homePathFor(user) : '/'} className="brand">
          PSF Certification
        </NavLink>
        <nav aria-label="Main">
          <ul>
            {user &&
              AREAS.filter((a) => user.roles.includes(a.role)).map((a) => (
                <li key={a.to}>
                  <NavLink to={a.to} end>
                    {a.label}
                  </NavLink>
                </li>
              ))}
            {user && (
              <li>
                <NavLink to="/account">Account</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/framework">The framework</NavLink>
            </li>
            <li>
              <NavLink to="/self-assessment">Self-assessment</NavLink>
            </li>
            <li>
              <NavLink to="/verify">Verify a certificate</NavLink>
            </li>
            {!user && !loading && (
              <>
                <li>
                  <NavLink to="/login">Sign in</NavLink>
                </li>
                <li>
                  <NavLink to="/register">Create account</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
        {user && (
          <div className="account">
            <span>
              Signed in as <strong>{user.fullName}</strong>
            </span>
            <button
              type="button"
              className="button-secondary"
              onClick={async () => {
                await signOut();
                await navigate('/login');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {user && notices}
        <Outlet />
      </main>
      <footer className="site-footer">
        <PsfAttribution />
      </footer>
    </>
  );
}
