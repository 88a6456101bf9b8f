import { Link, useSearchParams } from 'react-router';
import { ListTable } from '../../../components/list-table';
import { Page } from '../../../components/page';
import { AUDIT_EXPORT_MAX_ROWS, type AuditEntry, downloadAuditCsv, useAuditEntries } from '../api/audit-entries';
import { AuditFilterForm } from '../components/audit-filter-form';
import { ChainStatus, utc } from '../components/chain-status';
import { auditParamsOf, auditSearchOf, type AuditSearch } from '../lib/audit-search';

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const search = auditSearchOf(params);
  const entries = useAuditEntries(search);
  const total = entries.data?.total ?? 0;

  const apply = (s: AuditSearch) => setParams(auditParamsOf(s));
  const goTo = (n: number) => setParams(auditParamsOf({ ...search, page: n }));

  return (
    <Page title="Audit log">
      <p>
        Every decision, change and read of sensitive data, in an append-only chain. Filter it, page through it, or export the filtered
        entries. Personal data kept beside the chain is not shown here.
      </p>
      <ChainStatus />
      <section aria-labelledby="entries-heading">
        <h2 id="entries-heading">Entries</h2>
        <AuditFilterForm search={search} onApply={apply} />
        <ListTable<AuditEntry>
          caption="Audit entries, newest first"
          noun={['entry', 'entries']}
          empty="No entry matches these filters."
          data={entries.data}
          loading={entries.isFetching}
          error={entries.error}
          rowKey={(e) => e.id}
          onPage={goTo}
          onExport={() => downloadAuditCsv(search)}
          exportNote={
            total > AUDIT_EXPORT_MAX_ROWS
              ? `The file holds the newest ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('en')} of them (an export holds at most that many: narrow the dates for the rest).`
              : undefined
          }
          columns={[
            { header: 'Entry', rowHeader: true, className: 'numeric', cell: (e) => `#${e.id}` },
            { header: 'When (UTC)', cell: (e) => <time dateTime={e.occurredAt}>{utc(e.occurredAt)}</time> },
            { header: 'Actor', cell: (e) => <Actor entry={e} /> },
            { header: 'Action', cell: (e) => <code>{e.action}</code> },
            { header: 'Subject', cell: (e) => <Subject entry={e} /> },
            { header: 'Details', cell: (e) => <Details data={e.data} /> },
          ]}
        />
      </section>
    </Page>
  );
}

function Actor({ entry }: { entry: AuditEntry }) {
  if (!entry.actorId) return <>The platform</>;
  return <Link to={`/admin/people/${entry.actorId}`}>{entry.actorName ?? entry.actorId}</Link>;
}

function Subject({ entry }: { entry: AuditEntry }) {
  if (!entry.subjectId) return <>{entry.subjectType}</>;
  if (entry.subjectType === 'user')
    return (
      <>
        user <Link to={`/admin/people/${entry.subjectId}`}>{entry.subjectId}</Link>
      </>
    );
  return (
    <>
      {entry.subjectType} <span className="audit-id">{entry.subjectId}</span>
    </>
  );
}

/** The entry's data as key: value lines (values as JSON); a digest stands where personal data is kept beside the chain. */
function Details({ data }: { data: Record<string, unknown> }) {
  const keys = Object.keys(data);
  if (keys.length === 0) return <>—</>;
  return (
    <dl className="audit-data">
      {keys.map((k) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{typeof data[k] === 'string' ? (data[k] as string) : JSON.stringify(data[k])}</dd>
        </div>
      ))}
    </dl>
  );
}
