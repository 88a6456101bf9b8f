import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { panelStatusLabel } from '../../../components/panel-status';
import { useMyPanels } from '../api/panels';

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
      {panels.data?.length === 0 && <p>No CPAA panel is booked with you yet.</p>}
      {!!panels.data?.length && (
        <table>
          <caption>CPAA panels you sit on (times in {Intl.DateTimeFormat().resolvedOptions().timeZone})</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Candidate</th>
              <th scope="col">Your role</th>
              <th scope="col">Status</th>
              <th scope="col">Your scores</th>
            </tr>
          </thead>
          <tbody>
            {panels.data.map((p) => (
              <tr key={p.bookingId}>
                <td>
                  <Link to={`/reviewer/panels/${p.bookingId}`}>{when(p.start, p.end)}</Link>
                </td>
                <td>{p.candidateName}</td>
                <td>{p.isChair ? 'Chair' : 'Member'}</td>
                <td>
                  {panelStatusLabel(p.status)}
                  {p.outcome ? `: ${p.outcome}` : ''}
                </td>
                <td>{p.scored ? 'Submitted' : 'Not yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
