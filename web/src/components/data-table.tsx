import type { Key, ReactNode } from 'react';

export interface Column<T> {
  /** The column's heading: a `th scope="col"`. */
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Class on the heading and on each of the column's cells (e.g. "numeric"). */
  className?: string;
  /** The column that names each row: its cells are `th scope="row"`. */
  rowHeader?: boolean;
  /** A column the server can sort by: its heading becomes a button (see `sorting`). */
  sortKey?: string;
}

export type SortOrder = 'asc' | 'desc';

/** The order a list is in, and what choosing a column heading does. */
export interface Sorting {
  key: string;
  order: SortOrder;
  onSort: (key: string) => void;
}

interface DataTableProps<T> {
  /** Every table is named for assistive technology; `captionHidden` keeps the name off the screen. */
  caption: ReactNode;
  captionHidden?: boolean;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T) => Key;
  /** Shown instead of an empty table. */
  empty: ReactNode;
  /** Sortable headings (for columns with a `sortKey`); the sorted one carries `aria-sort`. */
  sorting?: Sorting;
}

/** The one list table of the consoles: a captioned table with column headings, or a sentence when there is nothing to list. */
export function DataTable<T>({ caption, captionHidden = false, columns, rows, rowKey, empty, sorting }: DataTableProps<T>) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <ColumnHeading key={i} column={column} sorting={sorting} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((column, i) =>
              column.rowHeader ? (
                <th key={i} scope="row" className={column.className}>
                  {column.cell(row)}
                </th>
              ) : (
                <td key={i} className={column.className}>
                  {column.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const ORDER_WORDS: Record<SortOrder, 'ascending' | 'descending'> = { asc: 'ascending', desc: 'descending' };

/**
 * A column heading; a sortable one holds a button that sorts by it (again: the other way). The sorted
 * column says its order with `aria-sort` for screen readers and an arrow for sight; the button's name
 * says what pressing it will do.
 */
function ColumnHeading<T>({ column, sorting }: { column: Column<T>; sorting?: Sorting }) {
  if (!sorting || !column.sortKey) {
    return (
      <th scope="col" className={column.className}>
        {column.header}
      </th>
    );
  }
  const key = column.sortKey;
  const current = sorting.key === key ? sorting.order : undefined;
  const next = current === 'asc' ? 'desc' : current === 'desc' ? 'asc' : undefined;
  return (
    <th scope="col" className={column.className} aria-sort={current ? ORDER_WORDS[current] : undefined}>
      <button type="button" className="sort-button" onClick={() => sorting.onSort(key)}>
        {column.header}
        <span aria-hidden="true" className="sort-arrow">
          {current === 'asc' ? ' ▲' : current === 'desc' ? ' ▼' : ' ↕'}
        </span>
        <span className="visually-hidden">{next ? `, sort ${ORDER_WORDS[next]}` : ', sort by this column'}</span>
      </button>
    </th>
  );
}
