import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table';

const rows = [
  { id: 'a', name: 'Ada', score: 3 },
  { id: 'b', name: 'Grace', score: 2 },
];
const columns = [
  { header: 'Name', cell: (r: (typeof rows)[number]) => r.name },
  { header: 'Score', cell: (r: (typeof rows)[number]) => r.score, className: 'numeric' },
];

describe('DataTable', () => {
  it('renders a captioned table with column headings and one row per item, in order', () => {
    const html = renderToStaticMarkup(<DataTable caption="Scores" columns={columns} rows={rows} rowKey={(r) => r.id} empty="None" />);
    expect(html).toContain('<caption>Scores</caption>');
    expect(html).toContain('<th scope="col">Name</th><th scope="col" class="numeric">Score</th>');
    expect(html).toContain('<tr><td>Ada</td><td class="numeric">3</td></tr><tr><td>Grace</td><td class="numeric">2</td></tr>');
  });

  it('keeps a hidden caption for screen readers', () => {
    const html = renderToStaticMarkup(
      <DataTable caption="Scores" captionHidden columns={columns} rows={rows} rowKey={(r) => r.id} empty="None" />,
    );
    expect(html).toContain('<caption class="visually-hidden">Scores</caption>');
  });

  it('makes the naming column a row header', () => {
    const named = [{ ...columns[0], rowHeader: true }, columns[1]];
    const html = renderToStaticMarkup(<DataTable caption="Scores" columns={named} rows={rows} rowKey={(r) => r.id} empty="None" />);
    expect(html).toContain('<tr><th scope="row">Ada</th><td class="numeric">3</td></tr>');
  });

  it('says so instead of showing an empty table', () => {
    const html = renderToStaticMarkup(
      <DataTable caption="Scores" columns={columns} rows={[]} rowKey={(r) => r.id} empty="No scores yet." />,
    );
    expect(html).toBe('<p>No scores yet.</p>');
  });

  it('turns the headings of sortable columns into buttons and marks the sorted one with aria-sort', () => {
    const sortable = [
      { ...columns[0], sortKey: 'name' },
      { ...columns[1], sortKey: 'score' },
    ];
    const html = renderToStaticMarkup(
      <DataTable
        caption="Scores"
        columns={sortable}
        rows={rows}
        rowKey={(r) => r.id}
        empty="None"
        sorting={{ key: 'score', order: 'desc', onSort: () => undefined }}
      />,
    );
    expect(html).toContain('<th scope="col"><button type="button" class="sort-button">Name');
    expect(html).toContain('<span class="visually-hidden">, sort by this column</span>');
    expect(html).toContain('<th scope="col" class="numeric" aria-sort="descending">');
    expect(html).toContain('<span class="visually-hidden">, sort ascending</span>');
  });
});
