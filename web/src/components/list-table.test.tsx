import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ListTable } from './list-table';

type Row = { id: string; name: string };
const row = (n: number): Row => ({ id: `r${n}`, name: `Row ${n}` });
const props = {
  caption: 'Rows',
  columns: [{ header: 'Name', cell: (r: Row) => r.name, sortKey: 'name' }],
  rowKey: (r: Row) => r.id,
  noun: ['row', 'rows'] as const,
  empty: 'No rows.',
  sorting: { key: 'name', order: 'asc' as const, onSort: () => undefined },
  onPage: () => undefined,
  loading: false,
};

describe('ListTable', () => {
  it('says how many rows the filters found and which page this is, and offers all of them as CSV', () => {
    const html = renderToStaticMarkup(
      <ListTable {...props} data={{ items: [row(1), row(2)], total: 52, page: 2, pageSize: 25 }} onExport={async () => undefined} />,
    );
    expect(html).toContain('<p role="status" class="result-count">52 rows found; page 2 of 3</p>');
    expect(html).toContain('Export all 52 rows as CSV');
    expect(html).toContain('<caption class="visually-hidden">Rows, page 2 of 3</caption>');
    expect(html).toContain('<nav aria-label="Pages of Rows" class="pager">');
    expect(html).toMatch(/Page (<!-- -->)?2(<!-- -->)? of (<!-- -->)?3/);
  });

  it('has no page navigation for one page, and no export when nothing was found', () => {
    const one = renderToStaticMarkup(<ListTable {...props} data={{ items: [row(1)], total: 1, page: 1, pageSize: 25 }} />);
    expect(one).toContain('1 row found</p>');
    expect(one).not.toContain('<nav');
    const none = renderToStaticMarkup(
      <ListTable<Row> {...props} data={{ items: [], total: 0, page: 1, pageSize: 25 }} onExport={async () => undefined} />,
    );
    expect(none).toContain('0 rows found');
    expect(none).toContain('<p>No rows.</p>');
    expect(none).not.toContain('Export');
  });
});
