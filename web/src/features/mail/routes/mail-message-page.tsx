import { Link, useParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { useMailMessage } from '../api/mail';

export function MailMessagePage() {
  const { id = '' } = useParams();
  const message = useMailMessage(id);
  return (
    <Page title={message.data?.subject ?? 'Message'}>
      <p>
        <Link to="/admin/mail">Back to outgoing mail</Link>
      </p>
      {message.error && <Alert>{message.error.message}</Alert>}
      {message.data && (
        <>
          <dl className="meta">
            <dt>To</dt>
            <dd>{message.data.recipient}</dd>
            <dt>Sent</dt>
            <dd>{message.data.sentAt ?? 'pending'}</dd>
            <dt>Transport</dt>
            <dd>{message.data.transport ?? '—'}</dd>
          </dl>
          <pre className="mail-body">{message.data.body ?? 'The body is not stored for this transport.'}</pre>
        </>
      )}
    </Page>
  );
}
