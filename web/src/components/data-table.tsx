import type { Key, ReactNode } from 'react';

export interface Column<T> {
  /** The column's heading: a `th scope="col"`. */
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Class on the heading and on each of the column's cells (e.g. "numeric"). */
  className?: string;
  /** The column that names each row: its cells are `th scope="row"`. */
  rowHeader?: boolean;
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
}

/** The one list table of the consoles: a captioned table with column headings, or a sentence when there is nothing to list. */
export function DataTable<T>({ caption, captionHidden = false, columns, rows, rowKey, empty }: DataTableProps<T>) {
  if (rows.length === 0) return <p>{empty}</p>;
  return (
    <table>
      <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col" className={column.className}>
              {column.header}
            </th>
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
