import { Link } from 'react-router';
import { Alert } from '../../components/alert';
import { Page } from '../../components/page';
import { useUserList } from '../../features/people/api/users';

export function AdminHome() {
  const users = useUserList();
  return (
    <Page title="Administration">
      <ul className="admin-links">
        <li>
          <Link to="/admin/exam">AIDA examination settings, accommodations and attempts</Link>
        </li>
        <li>
          <Link to="/admin/exam/analysis">AIDA item analysis, reliability and fairness (DIF)</Link>
        </li>
        <li>
          <Link to="/admin/exam/standard-setting">AIDA standard setting: the cut score from a modified-Angoff study</Link>
        </li>
        <li>
          <Link to="/reviewer/items">Item review: drafts, reviews and stages of the question bank</Link>
        </li>
        <li>
          <Link to="/admin/submissions">Portfolio pipeline: reviews, adjudication, reassignment</Link>
        </li>
        <li>
          <Link to="/admin/panels">CPAA panels: assessors, chairs and scheduling settings</Link>
        </li>
        <li>
          <Link to="/admin/bank">Question bank</Link>
        </li>
        <li>
          <Link to="/admin/certificates">Certificates: verify, revoke, suspend, reinstate</Link>
        </li>
        <li>
          <Link to="/admin/mail">Outgoing mail</Link>
        </li>
      </ul>
      <h2>Accounts</h2>
      {users.error && <Alert>{users.error.message}</Alert>}
      {users.isPending && <p role="status">Loading accounts…</p>}
      {users.data && (
        <table>
          <caption className="visually-hidden">Accounts, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Roles</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {users.data.map((u) => (
              <tr key={u.id}>
                <td>{u.fullName}</td>
                <td>{u.email}</td>
                <td>{u.roles.join(', ')}</td>
                <td>
                  <time dateTime={u.createdAt}>{new Date(u.createdAt).toLocaleString()}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
