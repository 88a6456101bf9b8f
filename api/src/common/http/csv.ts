/**
 * A leading = + - @ (or a tab or carriage return, which some spreadsheets skip before one) makes a
 * spreadsheet run the cell as a formula (CSV injection): such a cell is written with a leading `'`,
 * which the spreadsheet shows as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: neutralised against formulas, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV text (CRLF line ends, a final CRLF), every cell through `csvCell`. */
export function toSafeCsv(rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
