/**
 * CSV as spreadsheets read it (RFC 4180): fields quoted when they hold a comma, quote or line break;
 * numbers as written. A text cell that a spreadsheet would run as a formula (it starts with = + - @,
 * a tab or a carriage return) is written with a leading apostrophe, so an exported name such as
 * `=HYPERLINK(...)` stays text (OWASP "CSV injection").
 */
export function toCsv(rows: readonly (readonly unknown[])[]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

export function csvField(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (typeof v === 'number') s = String(Number.isInteger(v) ? v : Number(v.toFixed(6)));
  else if (v instanceof Date) s = v.toISOString();
  else {
    s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  }
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** The most rows one export writes; the list's filters narrow a larger set. */
export const CSV_EXPORT_CAP = 50_000;
