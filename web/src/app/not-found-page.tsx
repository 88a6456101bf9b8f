import { Link } from 'react-router';
import { Page } from '../components/page';
import { homePathFor, useSession } from '../lib/auth/session';

/** Any address the SPA has no page for (the server answers it 404): say so, and offer the ways on. */
export function NotFoundPage() {
  const { user } = useSession();
  return (
    <Page title="Page not found">
      <p>There is no page at this address. If you typed it, check the spelling; if a link brought you here, the page may have moved.</p>
      <h2>Where to go</h2>
      <ul>
        {user ? (
          <li>
            <Link to={homePathFor(user)}>Your home page</Link>
          </li>
        ) : (
          <li>
            <Link to="/">The start page</Link>: the programme and its three certifications
          </li>
        )}
        <li>
          <Link to="/framework">The Production Safety Framework</Link>: its eight domains and 40 criteria
        </li>
        <li>
          <Link to="/verify">Verify a certificate</Link> by its number
        </li>
        {!user && (
          <li>
            <Link to="/login">Sign in</Link> to your account
          </li>
        )}
      </ul>
    </Page>
  );
}
