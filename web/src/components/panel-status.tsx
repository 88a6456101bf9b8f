const LABELS: Record<string, string> = {
  booked: 'Booked',
  completed: 'Decided',
  cancelled: 'Cancelled',
  no_show_candidate: 'Candidate did not attend',
  no_show_assessor: 'Assessor did not attend',
};

/** A panel booking's status in words, the same on every page. */
export function panelStatusLabel(status: string): string {
  return LABELS[status] ?? status;
}
