/** The value axis of the dashboard's bar charts: a round top and a few whole-number ticks. */

/** The smallest "nice" number (1, 2 or 5 × 10ⁿ, at least 1) that is ≥ the largest value. */
export function niceMax(largest: number): number {
  if (!(largest > 1)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(largest));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= largest) return step * magnitude;
  return 10 * magnitude;
}

/** Ticks from 0 to `top` (a `niceMax`) inclusive: fifths of it when they are whole numbers, else every whole number. */
export function ticks(top: number): number[] {
  const step = top >= 5 && top % 5 === 0 ? top / 5 : 1;
  return Array.from({ length: Math.floor(top / step) + 1 }, (_, i) => i * step);
}

/** Which category labels to print under the bars so they do not overlap: every `n`-th from the first. */
export function labelEvery(categories: number, room: number): number {
  return Math.max(1, Math.ceil(categories / Math.max(1, room)));
}
