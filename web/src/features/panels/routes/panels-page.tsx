import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import { panelStatusLabel } from '../../../components/panel-status';
import { useMyPanels } from '../../../lib/assessor-panels';

export const when = (start: string, end: string) => {
  const f = (o: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', o);
  return `${f({ weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(start))}, ${f({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(start))}–${f({ hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(end))}`;
};

export function PanelsPage() {
  const panels = useMyPanels();
  return (
    <Page title="My panels">
      <p>
        <Link to="/reviewer/availability">My availability and calendar</Link>
      </p>
      {panels.isPending && <p role="status">Loading…</p>}
      {panels.error && <Alert>{panels.error.message}</Alert>}
      {panels.data && (
        <DataTable
          caption={`CPAA panels you sit on (times in ${Intl.DateTimeFormat().resolvedOptions().timeZone})`}
          rows={panels.data}
          rowKey={(p) => p.bookingId}
          empty="No CPAA panel is booked with you yet."
          columns={[
            { header: 'When', cell: (p) => <Link to={`/reviewer/panels/${p.bookingId}`}>{when(p.start, p.end)}</Link> },
            { header: 'Candidate', cell: (p) => p.candidateName },
            { header: 'Your role', cell: (p) => (p.isChair ? 'Chair' : 'Member') },
            { header: 'Status', cell: (p) => `${panelStatusLabel(p.status)}${p.outcome ? `: ${p.outcome}` : ''}` },
            { header: 'Your scores', cell: (p) => (p.scored ? 'Submitted' : 'Not yet') },
          ]}
        />
      )}
    </Page>
  );
}
