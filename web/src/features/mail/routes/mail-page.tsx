import { Link } from 'react-router';
import { ListTable } from '../../../components/list-table';
import { ListFilters } from '../../../components/list-filters';
import { Page } from '../../../components/page';
import { useListParams } from '../../../lib/list-params';
import { downloadMailCsv, MAIL_FILTERS, type MailMessage, useMailList } from '../api/mail';

export function MailPage() {
  const list = useListParams(MAIL_FILTERS, { sort: 'createdAt', order: () => 'desc' });
  const mail = useMailList(list.query);

  return (
    <Page title="Outgoing mail">
      <p>Every message the platform has sent or is about to send, newest first. Without SMTP configured, messages are stored as files.</p>
      <ListFilters list={list} label="Find mail">
        {(field) => (
          <>
            <div className="field">
              <label htmlFor="mail-query">Recipient or subject</label>
              <input id="mail-query" type="search" {...field('query')} />
            </div>
            <div className="field">
              <label htmlFor="mail-template">Template</label>
              <input id="mail-template" {...field('template')} aria-describedby="mail-template-hint" />
              <p className="hint" id="mail-template-hint">
                e.g. verify-email, reset-password
              </p>
            </div>
            <div className="field">
              <label htmlFor="mail-state">State</label>
              <select id="mail-state" {...field('state')}>
                <option value="">Sent or waiting</option>
                <option value="sent">Sent</option>
                <option value="waiting">Waiting to be sent</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="mail-from">Recorded from</label>
              <input id="mail-from" type="date" {...field('from')} />
            </div>
            <div className="field">
              <label htmlFor="mail-to">Recorded until</label>
              <input id="mail-to" type="date" {...field('to')} />
            </div>
          </>
        )}
      </ListFilters>
      <ListTable<MailMessage>
        caption="Messages, newest first"
        noun={['message', 'messages']}
        empty="No message matches this search."
        data={mail.data}
        loading={mail.isFetching}
        error={mail.error}
        rowKey={(m) => m.id}
        {...list.table}
        onExport={() => downloadMailCsv(list.filtersQuery)}
        columns={[
          { header: 'Subject', rowHeader: true, cell: (m) => <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link> },
          { header: 'To', cell: (m) => m.recipient },
          { header: 'Template', cell: (m) => <code>{m.template}</code> },
          {
            header: 'Sent',
            cell: (m) => (m.sentAt ? <time dateTime={m.sentAt}>{new Date(m.sentAt).toLocaleString()}</time> : 'Waiting'),
          },
        ]}
      />
    </Page>
  );
}
