import type { StudyStatus } from '../api/studies';

export const STUDY_STATUS_LABELS: Record<StudyStatus, string> = {
  round1: 'Round 1 open',
  round2: 'Round 2 open',
  closed: 'Closed, cut computed',
  adopted: 'Cut adopted',
  cancelled: 'Cancelled',
};

/** A percentage without trailing zeros ("63.33%", "70%"), or "—" when unknown. */
export function formatPercent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '—' : `${Number(value.toFixed(digits))}%`;
}

/** A 0–1 probability as a percentage. */
export function formatProbability(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : formatPercent(value * 100, digits);
}
