import { Link } from 'react-router';
import { ListTable } from '../../../../components/list-table';
import { ListFilters } from '../../../../components/list-filters';
import { StatusBadge } from '../../../../components/status-badge';
import { useListParams } from '../../../../lib/list-params';
import { CERTIFICATE_FILTERS, type CertificateRow, downloadCertificatesCsv, useCertificates } from '../api/admin-certificates';

const CREDENTIALS = ['AIDA', 'CPAP', 'CPAA'];
const STATUSES = [
  ['active', 'Active'],
  ['suspended', 'Suspended'],
  ['revoked', 'Revoked'],
  ['expired', 'Expired'],
] as const;

const day = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleDateString()}</time>;

/** Every certificate: search by holder or number, filter by credential, status and dates, sort, page, export; pick one to manage. */
export function CertificateList({ onManage }: { onManage: (number: string) => void }) {
  const list = useListParams(CERTIFICATE_FILTERS, { sort: 'issuedAt', order: (sort) => (sort === 'issuedAt' ? 'desc' : 'asc') });
  const certificates = useCertificates(list.query);

  return (
    <section aria-labelledby="all-certificates">
      <h2 id="all-certificates">All certificates</h2>
      <ListFilters list={list} label="Filter certificates" submitLabel="Filter">
        {(field) => (
          <>
            <div className="field">
              <label htmlFor="certs-query">Holder, e-mail address or number</label>
              <input id="certs-query" type="search" {...field('query')} />
            </div>
            <div className="field">
              <label htmlFor="certs-credential">Credential</label>
              <select id="certs-credential" {...field('credential')}>
                <option value="">Any credential</option>
                {CREDENTIALS.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="certs-status">Status</label>
              <select id="certs-status" {...field('status')}>
                <option value="">Any status</option>
                {STATUSES.map(([value, words]) => (
                  <option key={value} value={value}>
                    {words}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="certs-from">Issued from</label>
              <input id="certs-from" type="date" {...field('issuedFrom')} />
            </div>
            <div className="field">
              <label htmlFor="certs-to">Issued until</label>
              <input id="certs-to" type="date" {...field('issuedTo')} />
            </div>
            <div className="field">
              <label htmlFor="certs-expiring">Expiring before</label>
              <input id="certs-expiring" type="date" {...field('expiringBefore')} />
            </div>
          </>
        )}
      </ListFilters>
      <ListTable<CertificateRow>
        caption="Certificates"
        noun={['certificate', 'certificates']}
        empty="No certificate matches these filters."
        data={certificates.data}
        loading={certificates.isFetching}
        error={certificates.error}
        rowKey={(c) => c.id}
        {...list.table}
        onExport={() => downloadCertificatesCsv(list.filtersQuery)}
        columns={[
          {
            header: 'Number',
            rowHeader: true,
            sortKey: 'number',
            cell: (c) => (
              <button type="button" className="link-button" onClick={() => onManage(c.number)}>
                {c.number}
                <span className="visually-hidden">: manage this certificate</span>
              </button>
            ),
          },
          {
            header: 'Holder',
            sortKey: 'holder',
            cell: (c) => (
              <>
                <Link to={`/admin/people/${c.holderId}`}>{c.holderName}</Link>
                {c.holderEmail && <span className="hint"> {c.holderEmail}</span>}
              </>
            ),
          },
          { header: 'Credential', cell: (c) => c.credential.code },
          { header: 'Status', cell: (c) => <StatusBadge status={c.status} /> },
          { header: 'Issued', sortKey: 'issuedAt', cell: (c) => day(c.issuedAt) },
          { header: 'Expires', sortKey: 'expiresAt', cell: (c) => day(c.expiresAt) },
        ]}
      />
    </section>
  );
}
