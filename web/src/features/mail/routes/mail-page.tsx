import { Link } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import { useMailList } from '../api/mail';

export function MailPage() {
  const mail = useMailList();
  return (
    <Page title="Outgoing mail">
      <p>Every message the platform has sent, newest first. Without SMTP configured, messages are stored as files.</p>
      {mail.error && <Alert>{mail.error.message}</Alert>}
      {mail.isPending && <p role="status">Loading messages…</p>}
      {mail.data && (
        <DataTable
          caption="Sent messages"
          captionHidden
          rows={mail.data}
          rowKey={(m) => m.id}
          empty="No messages yet."
          columns={[
            { header: 'Subject', cell: (m) => <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link> },
            { header: 'To', cell: (m) => m.recipient },
            {
              header: 'Sent',
              cell: (m) => (m.sentAt ? <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time> : 'pending'),
            },
          ]}
        />
      )}
    </Page>
  );
}
