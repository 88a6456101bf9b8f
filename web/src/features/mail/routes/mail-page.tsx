import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ListTable } from '../../../components/list-table';
import { Page } from '../../../components/page';
import { useListParams } from '../../../lib/list-params';
import { downloadMailCsv, MAIL_FILTERS, type MailMessage, useMailList } from '../api/mail';

export function MailPage() {
  const list = useListParams(MAIL_FILTERS, { sort: 'createdAt', order: () => 'desc' });
  const mail = useMailList(list.query);
  const [form, setForm] = useState(list.filters);
  const field = (name: (typeof MAIL_FILTERS)[number]) => ({
    value: form[name] ?? '',
    onChange: (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    list.setFilters(form);
  };

  return (
    <Page title="Outgoing mail">
      <p>Every message the platform has sent or is about to send, newest first. Without SMTP configured, messages are stored as files.</p>
      <form className="form list-filters" role="search" aria-label="Find mail" onSubmit={submit}>
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
        <div className="actions">
          <button type="submit">Search</button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setForm({});
              list.setFilters({});
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ListTable<MailMessage>
        caption="Messages, newest first"
        noun={['message', 'messages']}
        empty="No message matches this search."
        data={mail.data}
        loading={mail.isFetching}
        error={mail.error}
        rowKey={(m) => m.id}
        onPage={list.setPage}
        onPageSize={list.setPageSize}
        onExport={() => downloadMailCsv(list.query)}
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
