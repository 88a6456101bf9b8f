import { Link } from 'react-router';
import { Page } from '../../components/page';
import { AdminDashboard } from '../../features/admin-dashboard/components/admin-dashboard';

export function AdminHome() {
  return (
    <Page title="Administration">
      <AdminDashboard />
      <nav className="admin-consoles" aria-labelledby="admin-consoles-heading">
        <h2 id="admin-consoles-heading">Consoles</h2>
        <ul className="admin-links">
          <li>
            <Link to="/admin/people">People: find anyone, change roles, deactivate or reactivate, force a password reset</Link>
          </li>
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
            <Link to="/admin/conflicts">Conflict declarations: confirm or reject candidates’ conflicts of interest</Link>
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
            <Link to="/admin/name-changes">Name changes: approve or refuse requests to change the name on certificates</Link>
          </li>
          <li>
            <Link to="/admin/mail">Outgoing mail</Link>
          </li>
          <li>
            <Link to="/admin/jobs">Jobs: background work, failed jobs and reconciliation</Link>
          </li>
          <li>
            <Link to="/admin/audit">Audit log: filter, export and verify the chain of every decision and read</Link>
          </li>
        </ul>
      </nav>
    </Page>
  );
}
