import { Link } from 'react-router';
import { Alert } from '../../../../components/alert';
import { DataTable } from '../../../../components/data-table';
import { type PersonActivity, type PersonAuditEntry, usePersonActivity } from '../api/person-activity';

const when = (iso: string | null) => (iso ? <time dateTime={iso}>{new Date(iso).toLocaleString()}</time> : '—');

const SIGN_IN_METHODS: Record<string, string> = {
  password: 'Password',
  totp: 'Password and authenticator app',
  recovery_code: 'Password and recovery code',
  passkey: 'Passkey',
};

/** What the person has done on the platform: each part a captioned table, or a sentence when there is nothing. */
export function PersonActivitySections({ userId, fullName }: { userId: string; fullName: string }) {
  const activity = usePersonActivity(userId);
  if (activity.error) return <Alert>{activity.error.message}</Alert>;
  if (!activity.data) return <p role="status">Loading their activity…</p>;
  const a = activity.data;
  return (
    <div className="person-activity">
      <Sessions sessions={a.sessions} />
      <Attempts attempts={a.attempts} />
      <Portfolios portfolios={a.portfolios} />
      <Certificates certificates={a.certificates} />
      <AuditTrail userId={userId} fullName={fullName} trail={a.auditTrail} />
    </div>
  );
}

function Sessions({ sessions }: { sessions: PersonActivity['sessions'] }) {
  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Sessions</h2>
      <DataTable
        caption="Signed-in sessions, newest first"
        rows={sessions}
        rowKey={(s) => s.id}
        empty="No live session: the person is signed out everywhere."
        columns={[
          { header: 'Device', rowHeader: true, cell: (s) => s.client },
          { header: 'Signed in', cell: (s) => when(s.createdAt) },
          { header: 'Last seen', cell: (s) => when(s.lastUsedAt) },
          { header: 'Sign-in method', cell: (s) => (s.signInMethod ? SIGN_IN_METHODS[s.signInMethod] : 'Not recorded') },
          { header: 'Ends at the latest', cell: (s) => when(s.expiresAt) },
        ]}
      />
    </section>
  );
}

function Attempts({ attempts }: { attempts: PersonActivity['attempts'] }) {
  const result = (a: PersonActivity['attempts'][number]) =>
    a.status === 'in_progress' ? 'In progress' : a.passed === null ? '—' : `${a.passed ? 'Passed' : 'Not passed'}, ${a.scorePercent}%`;
  return (
    <section aria-labelledby="attempts-heading">
      <h2 id="attempts-heading">AIDA attempts</h2>
      <DataTable
        caption="AIDA exam attempts, newest first"
        rows={attempts}
        rowKey={(a) => a.id}
        empty="No AIDA attempt."
        columns={[
          { header: 'Started', rowHeader: true, cell: (a) => when(a.startedAt) },
          { header: 'Status', cell: (a) => (a.status === 'expired' ? 'Closed at the deadline' : a.status.replace('_', ' ')) },
          { header: 'Submitted', cell: (a) => when(a.submittedAt) },
          { header: 'Result', cell: result },
        ]}
      />
    </section>
  );
}

const SUBMISSION_STATUS: Record<string, string> = {
  submitted: 'In review',
  adjudication: 'Adjudication',
  decided_pass: 'Passed',
  decided_revise: 'Revise and resubmit',
  decided_fail: 'Not passed',
};

interface PortfolioRow {
  key: string;
  credential: string;
  version: string;
  status: string | null;
  at: string | null;
}

function Portfolios({ portfolios }: { portfolios: PersonActivity['portfolios'] }) {
  const rows = portfolios.flatMap<PortfolioRow>((p) =>
    p.submissions.length
      ? p.submissions.map((s) => ({
          key: s.id,
          credential: p.credential,
          version: `Version ${s.version}`,
          status: s.status,
          at: s.submittedAt,
        }))
      : [{ key: p.id, credential: p.credential, version: 'Draft', status: null, at: null }],
  );
  return (
    <section aria-labelledby="portfolios-heading">
      <h2 id="portfolios-heading">Portfolios and submissions</h2>
      <DataTable<PortfolioRow>
        caption="Portfolios and their submitted versions"
        rows={rows}
        rowKey={(r) => r.key}
        empty="No portfolio started."
        columns={[
          { header: 'Credential', rowHeader: true, cell: (r) => r.credential },
          { header: 'Version', cell: (r) => r.version },
          { header: 'Status', cell: (r) => (r.status ? (SUBMISSION_STATUS[r.status] ?? r.status) : 'Not submitted') },
          { header: 'Submitted', cell: (r) => when(r.at) },
        ]}
      />
    </section>
  );
}

function Certificates({ certificates }: { certificates: PersonActivity['certificates'] }) {
  return (
    <section aria-labelledby="certificates-heading">
      <h2 id="certificates-heading">Certificates</h2>
      <DataTable
        caption="Certificates issued to them, newest first"
        rows={certificates}
        rowKey={(c) => c.id}
        empty="No certificate issued."
        columns={[
          { header: 'Number', rowHeader: true, cell: (c) => <Link to={`/verify/${encodeURIComponent(c.number)}`}>{c.number}</Link> },
          { header: 'Credential', cell: (c) => c.credential },
          { header: 'Status', cell: (c) => c.status },
          { header: 'Issued', cell: (c) => when(c.issuedAt) },
          { header: 'Expires', cell: (c) => when(c.expiresAt) },
        ]}
      />
    </section>
  );
}

function AuditTrail({ userId, fullName, trail }: { userId: string; fullName: string; trail: PersonActivity['auditTrail'] }) {
  const viewer = `/admin/audit?person=${encodeURIComponent(userId)}`;
  return (
    <section aria-labelledby="trail-heading">
      <h2 id="trail-heading">Audit trail</h2>
      <p>
        Entries by {fullName} or about their account: the newest {Math.min(trail.items.length, trail.total)} of {trail.total}.{' '}
        <Link to={viewer}>All {trail.total} in the audit log</Link>
      </p>
      <DataTable<PersonAuditEntry>
        caption={`Audit entries by or about ${fullName}, newest first`}
        captionHidden
        rows={trail.items}
        rowKey={(e) => e.id}
        empty="No audit entry by or about them."
        columns={[
          { header: 'When', rowHeader: true, cell: (e) => when(e.occurredAt) },
          { header: 'Action', cell: (e) => <code>{e.action}</code> },
          {
            header: 'By',
            cell: (e) =>
              e.actorId === userId ? (
                'Them'
              ) : e.actorId ? (
                <Link to={`/admin/people/${e.actorId}`}>{e.actorName ?? e.actorId}</Link>
              ) : (
                'The platform'
              ),
          },
          {
            header: 'About',
            cell: (e) => (e.subjectType === 'user' && e.subjectId === userId ? 'Their account' : `${e.subjectType} ${e.subjectId ?? ''}`),
          },
        ]}
      />
    </section>
  );
}
