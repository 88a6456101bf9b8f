import { type MouseEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import {
  AUDIT_EXPORT_MAX_ROWS,
  AUDIT_PAGE_SIZE,
  type AuditEntry,
  auditCsvHref,
  downloadAuditCsv,
  useAuditEntries,
} from '../api/audit-entries';
import { AuditFilterForm } from '../components/audit-filter-form';
import { ChainStatus, utc } from '../components/chain-status';
import { auditParamsOf, auditSearchOf, type AuditSearch } from '../lib/audit-search';

export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const search = auditSearchOf(params);
  const entries = useAuditEntries(search);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const page = search.page ?? 1;
  const total = entries.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));

  const apply = (s: AuditSearch) => setParams(auditParamsOf(s));
  const goTo = (n: number) => setParams(auditParamsOf({ ...search, page: n }));
  const exportCsv = (e: MouseEvent) => {
    e.preventDefault();
    setExporting(true);
    setExportError(null);
    downloadAuditCsv(search)
      .catch((err: Error) => setExportError(err.message))
      .finally(() => setExporting(false));
  };

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
        {entries.error && <Alert>{entries.error.message}</Alert>}
        <p role="status" className="result-count">
          {entries.isPending || entries.isPlaceholderData
            ? 'Searching…'
            : entries.data &&
              `${total} ${total === 1 ? 'entry' : 'entries'} found${pages > 1 ? `; page ${Math.min(page, pages)} of ${pages}` : ''}`}
        </p>
        {entries.data && (
          <>
            {total > 0 && (
              <p className="audit-export">
                <a href={auditCsvHref(search)} onClick={exportCsv} aria-describedby="audit-export-hint">
                  Export CSV
                </a>{' '}
                <span className="hint" id="audit-export-hint">
                  {total > AUDIT_EXPORT_MAX_ROWS
                    ? `the newest ${AUDIT_EXPORT_MAX_ROWS.toLocaleString('en')} of these ${total} entries (an export holds at most that many: narrow the dates for the rest)`
                    : `all ${total} ${total === 1 ? 'entry' : 'entries'} found, every page`}
                </span>
                {exporting && <span role="status"> Preparing the file…</span>}
              </p>
            )}
            {exportError && <Alert>{exportError}</Alert>}
            <DataTable<AuditEntry>
              caption="Audit entries, newest first"
              captionHidden
              rows={entries.data.items}
              rowKey={(e) => e.id}
              empty="No entry matches these filters."
              columns={[
                { header: 'Entry', rowHeader: true, className: 'numeric', cell: (e) => `#${e.id}` },
                { header: 'When (UTC)', cell: (e) => <time dateTime={e.occurredAt}>{utc(e.occurredAt)}</time> },
                { header: 'Actor', cell: (e) => <Actor entry={e} /> },
                { header: 'Action', cell: (e) => <code>{e.action}</code> },
                { header: 'Subject', cell: (e) => <Subject entry={e} /> },
                { header: 'Details', cell: (e) => <Details data={e.data} /> },
              ]}
            />
            {pages > 1 && (
              <nav aria-label="Pages of entries" className="actions">
                <button type="button" className="button-secondary" disabled={page <= 1} onClick={() => goTo(page - 1)}>
                  Previous page
                </button>
                <button type="button" className="button-secondary" disabled={page >= pages} onClick={() => goTo(page + 1)}>
                  Next page
                </button>
              </nav>
            )}
          </>
        )}
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
