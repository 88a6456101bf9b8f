import { useId, useState } from 'react';
import { Alert } from './alert';
import { type Column, DataTable, type Sorting } from './data-table';

export type { Column } from './data-table';

const PAGE_SIZES = [10, 25, 50, 100];

interface ListTableProps<T> {
  /** Names the table, the pages' navigation and the export for assistive technology (e.g. "AIDA attempts"). */
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rowKey: (row: T) => string;
  /** One page as the server sent it, or nothing while the first loads. */
  data: { items: readonly T[]; total: number; page: number; pageSize: number } | undefined;
  /** A newer page is on its way (the last one stays on screen meanwhile). */
  loading: boolean;
  error?: Error | null;
  /** What a row is, one and many: "1 attempt found", "3 attempts found". */
  noun: readonly [string, string];
  empty: string;
  /** Sortable headings; a list in one fixed order leaves it out. */
  sorting?: Sorting;
  onPage: (page: number) => void;
  /** Offers a choice of rows per page. */
  onPageSize?: (pageSize: number) => void;
  /** Saves every filtered row (all pages) as a CSV file. */
  onExport?: () => Promise<void>;
  /** Said beside the export button (e.g. a cap on what one file holds). */
  exportNote?: string;
}

/**
 * The consoles' server-side list: how many rows the filters found (announced politely), a CSV export
 * of all of them, the table with sortable headings, and page navigation. Paging moves focus to the
 * table's caption, so keyboard and screen-reader users land on the new rows.
 */
export function ListTable<T>({
  caption,
  columns,
  rowKey,
  data,
  loading,
  error,
  noun,
  empty,
  sorting,
  onPage,
  onPageSize,
  onExport,
  exportNote,
}: ListTableProps<T>) {
  const [exportError, setExportError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const regionId = useId();
  const sizeId = useId();
  const noteId = useId();
  const sizes = data && !PAGE_SIZES.includes(data.pageSize) ? [...PAGE_SIZES, data.pageSize].sort((a, b) => a - b) : PAGE_SIZES;
  const pages = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const count = data ? `${data.total} ${data.total === 1 ? noun[0] : noun[1]} found` : '';

  const goTo = (page: number) => {
    onPage(page);
    document.getElementById(regionId)?.focus();
  };
  const exportRows = async () => {
    if (!onExport) return;
    setExporting(true);
    try {
      await onExport();
      setExportError(null);
    } catch (e) {
      setExportError((e as Error).message);
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="list-table">
      {error && <Alert>{error.message}</Alert>}
      <div className="list-table-bar">
        <p role="status" className="result-count">
          {loading && !data
            ? 'Searching…'
            : data
              ? `${count}${pages > 1 ? `; page ${data.page} of ${pages}` : ''}${loading ? ' (updating…)' : ''}`
              : ''}
        </p>
        {onPageSize && data && (
          <div className="field field-inline">
            <label htmlFor={sizeId}>Rows per page</label>
            <select id={sizeId} value={data.pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
              {sizes.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        )}
        {onExport && data && data.total > 0 && (
          <p className="list-table-export">
            <button
              type="button"
              className="button-secondary"
              onClick={() => void exportRows()}
              disabled={exporting}
              aria-describedby={exportNote ? noteId : undefined}
            >
              {exporting ? 'Preparing the CSV…' : `Export ${data.total === 1 ? `the ${noun[0]}` : `all ${data.total} ${noun[1]}`} as CSV`}
            </button>
            {exportNote && (
              <span className="hint" id={noteId}>
                {' '}
                {exportNote}
              </span>
            )}
          </p>
        )}
      </div>
      {exportError && <Alert>{exportError}</Alert>}
      {data && (
        <div id={regionId} tabIndex={-1} className="list-table-rows" aria-busy={loading || undefined}>
          <DataTable<T>
            caption={`${caption}${pages > 1 ? `, page ${data.page} of ${pages}` : ''}`}
            captionHidden
            columns={columns}
            rows={data.items}
            rowKey={rowKey}
            empty={empty}
            sorting={sorting}
          />
        </div>
      )}
      {data && pages > 1 && (
        <nav aria-label={`Pages of ${caption}`} className="pager">
          <button type="button" className="button-secondary" disabled={data.page <= 1} onClick={() => goTo(1)}>
            First page
          </button>
          <button type="button" className="button-secondary" disabled={data.page <= 1} onClick={() => goTo(data.page - 1)}>
            Previous page
          </button>
          <span className="pager-position">
            Page {data.page} of {pages}
          </span>
          <button type="button" className="button-secondary" disabled={data.page >= pages} onClick={() => goTo(data.page + 1)}>
            Next page
          </button>
          <button type="button" className="button-secondary" disabled={data.page >= pages} onClick={() => goTo(pages)}>
            Last page
          </button>
        </nav>
      )}
    </div>
  );
}
