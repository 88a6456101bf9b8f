export interface AngoffRating {
  raterId: string;
  itemKey: string;
  /** Judged probability that a minimally competent candidate answers correctly, 0..1. */
  probability: number;
}

export interface AngoffRaterCut {
  raterId: string;
  /** Mean of this rater's ratings over the items they rated. */
  cutProportion: number;
  rated: number;
}

export interface AngoffResult {
  cutProportion: number;
  cutPercent: number;
  /** Raw score needed to pass on a formLength-item form. */
  cutRaw: number;
  /** Every rater who rated at least one of the items; those with rated < itemKeys.length are not in the cut. */
  raters: AngoffRaterCut[];
  /** Sample SD (n − 1) of the complete raters' cuts; 0 with a single complete rater (no spread can be estimated). */
  raterSd: number;
  standardError: number;
  range: { lowPercent: number; highPercent: number };
  complete: boolean;
}

// Absorbs floating-point noise so that e.g. 0.7 × 20 = 14.000000000000002 still needs 14, not 15.
const CEIL_EPSILON = 1e-9;

/**
 * Modified Angoff (Angoff 1971): each rater's cut is the mean of their item ratings; the recommended cut is the
 * mean over raters who rated every item. The range is cut ± 1 SEM (raw points on a formLength-item form, converted
 * to percent) when `sem` is given, else cut ± 1 standard error of the raters' mean.
 */
export function angoffCut(ratings: readonly AngoffRating[], itemKeys: readonly string[], formLength: number, sem?: number): AngoffResult {
  if (itemKeys.length === 0) throw new Error('Angoff: no items to set a cut on');
  if (!(formLength > 0)) throw new RangeError(`Angoff: formLength must be positive (got ${formLength})`);
  const raters = raterCuts(ratingsByRater(ratings, new Set(itemKeys)));
  const included = raters.filter((r) => r.rated === itemKeys.length);
  if (included.length === 0) throw new Error('Angoff: no rater rated every item, so no cut can be recommended');

  const cuts = included.map((r) => r.cutProportion);
  const cutProportion = mean(cuts);
  const raterSd = cuts.length > 1 ? Math.sqrt(cuts.reduce((s, c) => s + (c - cutProportion) ** 2, 0) / (cuts.length - 1)) : 0;
  const standardError = raterSd / Math.sqrt(cuts.length);
  const halfWidthPercent = sem === undefined ? 100 * standardError : (100 * sem) / formLength;
  const cutPercent = 100 * cutProportion;
  return {
    cutProportion,
    cutPercent,
    cutRaw: Math.ceil(cutProportion * formLength - CEIL_EPSILON),
    raters,
    raterSd,
    standardError,
    range: { lowPercent: Math.max(0, cutPercent - halfWidthPercent), highPercent: Math.min(100, cutPercent + halfWidthPercent) },
    complete: included.length === raters.length,
  };
}

// Ratings of items outside itemKeys are ignored; a duplicate or out-of-range rating is a data error, not a choice.
function ratingsByRater(ratings: readonly AngoffRating[], itemKeys: Set<string>): Map<string, Map<string, number>> {
  const byRater = new Map<string, Map<string, number>>();
  for (const { raterId, itemKey, probability } of ratings) {
    if (!itemKeys.has(itemKey)) continue;
    if (!(probability >= 0 && probability <= 1)) {
      throw new RangeError(`Angoff: rating ${probability} by ${raterId} on ${itemKey} is not in 0..1`);
    }
    const items = byRater.get(raterId) ?? new Map<string, number>();
    if (items.has(itemKey)) throw new Error(`Angoff: rater ${raterId} rated ${itemKey} more than once`);
    items.set(itemKey, probability);
    byRater.set(raterId, items);
  }
  return byRater;
}

function raterCuts(byRater: Map<string, Map<string, number>>): AngoffRaterCut[] {
  return [...byRater].map(([raterId, items]) => ({ raterId, cutProportion: mean([...items.values()]), rated: items.size }));
}

function mean(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}
