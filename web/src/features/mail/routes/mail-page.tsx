import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useMailList } from '../api/mail';

export function MailPage() {
  const mail = useMailList();
  return (
    <Page title="Outgoing mail">
      <p>Every message the platform has sent, newest first. Without SMTP configured, messages are stored as files.</p>
      {mail.error && <Alert>{mail.error.message}</Alert>}
      {mail.isPending && <p role="status">Loading messages…</p>}
      {mail.data?.length === 0 && <p>No messages yet.</p>}
      {!!mail.data?.length && (
        <table>
          <caption className="visually-hidden">Sent messages</caption>
          <thead>
            <tr>
              <th scope="col">Subject</th>
              <th scope="col">To</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {mail.data.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link>
                </td>
                <td>{m.recipient}</td>
                <td>{m.sentAt ? <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time> : 'pending'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
