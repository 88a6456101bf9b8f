/**
 * The dashboard's arithmetic, apart from the queries: percentiles of review turnaround, the score
 * histogram's buckets and the pass rate.
 */

/**
 * The p-th percentile (0 ≤ p ≤ 100) by linear interpolation between closest ranks, as PostgreSQL's
 * percentile_cont and spreadsheets' PERCENTILE.INC compute it: rank h = (n − 1)·p/100 from 0, value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0–100`);
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const h = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/** A number of days shown with one decimal (turnaround figures). */
export const roundDays = (days: number | null): number | null => (days === null ? null : Math.round(days * 10) / 10);

export interface ScoreBucket {
  /** Lowest score of the bucket, in percent. */
  min: number;
  /** Highest score of the bucket (90–100 includes 100). */
  max: number;
  label: string;
  count: number;
}

/** Ten buckets of ten percentage points: 0–9, 10–19, …, 80–89, 90–100. */
export const SCORE_BUCKETS = 10;

/** The bucket (0–9) of a score in percent: ⌊score / 10⌋, with 100 in the top bucket. */
export const bucketOf = (scorePercent: number): number => Math.min(SCORE_BUCKETS - 1, Math.max(0, Math.floor(scorePercent / 10)));

/** The histogram from counts per bucket index (missing buckets are zero). */
export function scoreBuckets(counts: ReadonlyMap<number, number>): ScoreBucket[] {
  return Array.from({ length: SCORE_BUCKETS }, (_, i) => {
    const min = i * 10;
    const max = i === SCORE_BUCKETS - 1 ? 100 : min + 9;
    return { min, max, label: `${min}–${max}`, count: counts.get(i) ?? 0 };
  });
}

/** Passed over scored, as a fraction 0–1; null when nothing was scored (no rate, rather than 0 %). */
export const passRate = (passed: number, scored: number): number | null => (scored === 0 ? null : passed / scored);
