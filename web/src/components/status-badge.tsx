const LABELS: Record<string, string> = {
  active: 'Valid',
  suspended: 'Suspended',
  revoked: 'Revoked',
  expired: 'Expired',
  superseded: 'Superseded',
};

/** Status in words and colour together (never colour alone). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-${status}`}>{LABELS[status] ?? status}</span>;
}
