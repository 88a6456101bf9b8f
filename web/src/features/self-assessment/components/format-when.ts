/** A date and time as the reader's browser writes them, e.g. "3 December 2026 at 10:02". */
export function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
}
