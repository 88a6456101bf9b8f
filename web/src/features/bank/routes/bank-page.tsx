import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { DataTable } from '../../../components/data-table';
import { Page } from '../../../components/page';
import { type ItemQuery, useFramework, useItems } from '../api/bank';

const STATUSES = ['active', 'draft', 'retired'] as const;

/** Read-only browser of the bank: the content itself lives in question-bank/ files. */
export function BankPage() {
  const [params, setParams] = useSearchParams();
  const query: ItemQuery = {
    domain: params.get('domain') || undefined,
    criterion: params.get('criterion') || undefined,
    status: (params.get('status') as ItemQuery['status']) || undefined,
  };
  const framework = useFramework();
  const items = useItems(query);
  const ids = { domain: useId(), criterion: useId(), status: useId() };
  const domain = framework.data?.domains.find((d) => d.code === query.domain);

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'domain') next.delete('criterion');
    setParams(next);
  };

  return (
    <Page title="Question bank">
      <p>
        Items are edited in the <code>question-bank/</code> files and reach the platform by sync; every change becomes a new version. This
        view is read-only.
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filter items">
        <div className="field">
          <label htmlFor={ids.domain}>Domain</label>
          <select id={ids.domain} value={query.domain ?? ''} onChange={(e) => set('domain', e.target.value)}>
            <option value="">All domains</option>
            {framework.data?.domains.map((d) => (
              <option key={d.code} value={d.code}>
                {d.code} {d.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.criterion}>Criterion</label>
          <select id={ids.criterion} value={query.criterion ?? ''} onChange={(e) => set('criterion', e.target.value)} disabled={!domain}>
            <option value="">{domain ? 'All criteria' : 'Choose a domain first'}</option>
            {domain?.criteria.map((c) => (
              <option key={c.code} value={c.code}>
                {c.code} {c.text}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={query.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </form>
      {items.error && <Alert>{items.error.message}</Alert>}
      {items.isPending && <p role="status">Loading items…</p>}
      {items.data && (
        <>
          <p role="status">
            {items.data.length} item{items.data.length === 1 ? '' : 's'}
          </p>
          <DataTable
            caption="Items matching the filters"
            captionHidden
            rows={items.data}
            rowKey={(item) => item.id}
            empty="No item matches the filters."
            columns={[
              { header: 'Item', cell: (item) => <Link to={`/admin/bank/${item.id}`}>{item.id}</Link> },
              { header: 'Criterion', cell: (item) => item.criterion },
              { header: 'Difficulty', cell: (item) => item.difficulty },
              { header: 'Status', cell: (item) => item.status },
              { header: 'Version', cell: (item) => item.version },
              {
                header: 'Stem',
                className: 'stem-excerpt',
                cell: (item) => (item.stem.length > 140 ? `${item.stem.slice(0, 140)}…` : item.stem),
              },
            ]}
          />
        </>
      )}
    </Page>
  );
}
