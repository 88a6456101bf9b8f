export interface ItemResponse {
  candidateId: string;
  /** Identifies the item (version) across candidates. */
  itemKey: string;
  /** Option id chosen ('a'..'d' etc.), null = omitted. */
  chosen: string | null;
  correct: boolean;
  /** False for pretest items: never part of the total score. */
  scored: boolean;
}

export interface ItemDefinition {
  itemKey: string;
  options: string[];
  key: string;
}

export interface CandidateTotal {
  score: number;
  max: number;
}

export type ItemFlag = 'too_hard' | 'too_easy' | 'low_discrimination' | 'weak_distractor' | 'positive_distractor' | 'insufficient_data';

export interface FlagLimits {
  minN: number;
  minFacility: number;
  maxFacility: number;
  minPointBiserial: number;
  minDistractorShare: number;
  maxDistractorCorrelation: number;
}

export const DEFAULT_FLAG_LIMITS: FlagLimits = {
  minN: 30,
  minFacility: 0.3,
  maxFacility: 0.9,
  minPointBiserial: 0.2,
  minDistractorShare: 0.05,
  maxDistractorCorrelation: 0,
};

export interface OptionStatistics {
  option: string;
  key: boolean;
  share: number;
  /** Point-biserial of choosing this option with the rest score. */
  correlation: number | null;
}

export interface ItemStatistics {
  itemKey: string;
  n: number;
  /** p = proportion correct; omits count as wrong. */
  facility: number | null;
  /** Corrected: item score against the scored total excluding this item. */
  pointBiserial: number | null;
  /** p(upper 27 %) − p(lower 27 %) on the rest score; null when n < 10. */
  upperLower: number | null;
  omitted: number;
  options: OptionStatistics[];
  flags: ItemFlag[];
}

export interface ScoreSummary {
  n: number;
  mean: number | null;
  /** Sample SD (divisor n − 1); null when n < 2. */
  sd: number | null;
  min: number | null;
  max: number | null;
  /** Index = raw score 0..maxScore. */
  histogram: number[];
}

export interface DecisionConsistency {
  agreement: number;
  /** Null when chance agreement is 1 (every candidate certainly passes or certainly fails). */
  kappa: number | null;
  /** Observed share of totals at or above the cut. */
  passRate: number;
}

export type DifGroup = 'reference' | 'focal';

export interface MantelHaenszelResult {
  itemKey: string;
  nReference: number;
  nFocal: number;
  alphaMH: number;
  deltaMH: number;
  chiSquare: number;
  pValue: number;
  category: 'A' | 'B' | 'C';
}

const UPPER_LOWER_MIN_N = 10;
const UPPER_LOWER_FRACTION = 0.27;

/** Scored items only; every candidate that appears in the responses is listed (max 0 if they only saw pretest items). */
export function candidateTotals(responses: readonly ItemResponse[]): Map<string, CandidateTotal> {
  const totals = new Map<string, CandidateTotal>();
  for (const r of responses) {
    const total = totals.get(r.candidateId) ?? { score: 0, max: 0 };
    if (r.scored) {
      total.max += 1;
      if (r.correct) total.score += 1;
    }
    totals.set(r.candidateId, total);
  }
  return totals;
}

/** Classical item analysis, one entry per item in `items` (in that order). */
export function itemStatistics(
  responses: readonly ItemResponse[],
  items: readonly ItemDefinition[],
  limits: FlagLimits = DEFAULT_FLAG_LIMITS,
): ItemStatistics[] {
  const totals = candidateTotals(responses);
  const byItem = groupBy(responses, (r) => r.itemKey);
  return items.map((item) => describeItem(item, byItem.get(item.itemKey) ?? [], totals, limits));
}

function describeItem(
  item: ItemDefinition,
  responses: ItemResponse[],
  totals: Map<string, CandidateTotal>,
  limits: FlagLimits,
): ItemStatistics {
  const n = responses.length;
  const scores = responses.map((r) => (r.correct ? 1 : 0));
  const rest = responses.map((r) => restScore(r, totals));
  const stats = {
    itemKey: item.itemKey,
    n,
    facility: n ? mean(scores) : null,
    pointBiserial: pearson(scores, rest),
    upperLower: n < UPPER_LOWER_MIN_N ? null : upperLowerIndex(scores, rest),
    omitted: n ? responses.filter((r) => r.chosen === null).length / n : 0,
    options: item.options.map((option) => describeOption(option, item.key, responses, rest)),
  };
  return { ...stats, flags: flagItem(stats, limits) };
}

function describeOption(option: string, key: string, responses: ItemResponse[], rest: number[]): OptionStatistics {
  const picked = responses.map((r) => (r.chosen === option ? 1 : 0));
  return { option, key: option === key, share: picked.length ? mean(picked) : 0, correlation: pearson(picked, rest) };
}

// Corrected item–total: a scored item is removed from its own total so it does not correlate with itself.
function restScore(r: ItemResponse, totals: Map<string, CandidateTotal>): number {
  const total = totals.get(r.candidateId)?.score ?? 0;
  return r.scored && r.correct ? total - 1 : total;
}

// Kelley (1939) extreme groups of 27 %. Candidates tied on the rest score at a group boundary
// share the remaining places equally, so the result does not depend on input order.
function upperLowerIndex(scores: number[], rest: number[]): number {
  const size = Math.max(1, Math.round(UPPER_LOWER_FRACTION * scores.length));
  const pairs = scores.map((score, i) => ({ score, rest: rest[i] }));
  const ascending = [...pairs].sort((x, y) => x.rest - y.rest);
  const descending = [...ascending].reverse();
  return extremeGroupMean(descending, size) - extremeGroupMean(ascending, size);
}

function extremeGroupMean(sorted: Array<{ score: number; rest: number }>, size: number): number {
  let remaining = size;
  let sum = 0;
  for (let i = 0; i < sorted.length && remaining > 0;) {
    let j = i;
    while (j < sorted.length && sorted[j].rest === sorted[i].rest) j++;
    const block = sorted.slice(i, j).map((p) => p.score);
    const take = Math.min(remaining, block.length);
    sum += take * mean(block);
    remaining -= take;
    i = j;
  }
  return sum / size;
}

// An undefined point-biserial (item or rest score constant) counts as low discrimination: the item separates no one.
function flagItem(stats: Omit<ItemStatistics, 'flags'>, limits: FlagLimits): ItemFlag[] {
  if (stats.n < limits.minN || stats.facility === null) return ['insufficient_data'];
  const flags: ItemFlag[] = [];
  if (stats.facility < limits.minFacility) flags.push('too_hard');
  if (stats.facility > limits.maxFacility) flags.push('too_easy');
  if (stats.pointBiserial === null || stats.pointBiserial < limits.minPointBiserial) flags.push('low_discrimination');
  const distractors = stats.options.filter((o) => !o.key);
  if (distractors.some((o) => o.share < limits.minDistractorShare)) flags.push('weak_distractor');
  if (distractors.some((o) => o.correlation !== null && o.correlation > limits.maxDistractorCorrelation)) {
    flags.push('positive_distractor');
  }
  return flags;
}

/** Descriptives of raw totals. SD is the sample SD (divisor n − 1), the usual choice for reporting a cohort. */
export function scoreSummary(totals: readonly number[], maxScore: number): ScoreSummary {
  const histogram = new Array<number>(maxScore + 1).fill(0);
  for (const t of totals) {
    if (!Number.isInteger(t) || t < 0 || t > maxScore) throw new RangeError(`Total ${t} is not an integer in 0..${maxScore}`);
    histogram[t] += 1;
  }
  const n = totals.length;
  return {
    n,
    mean: n ? mean(totals) : null,
    sd: n > 1 ? Math.sqrt(sumOfSquares(totals) / (n - 1)) : null,
    min: n ? Math.min(...totals) : null,
    max: n ? Math.max(...totals) : null,
    histogram,
  };
}

/**
 * Pooled KR-20 for forms drawn from a common pool (Kuder & Richardson 1937, formula 20, generalised):
 *   k/(k−1) · (1 − mean over candidates of Σ_{i in their form} p_i q_i / σ²_X)
 * with p_i the facility over everyone who saw item i. σ²_X and p_i q_i are both population (divisor N) variances,
 * which makes the single-form case exactly the textbook KR-20 (and equal to Cronbach's alpha).
 * Scored responses only; every candidate must have the same number k of scored items (throws otherwise).
 * Null when fewer than 2 candidates, k < 2, or the totals have zero variance.
 */
export function kr20(responses: readonly ItemResponse[], totalsByCandidate?: Map<string, CandidateTotal>): number | null {
  const scored = responses.filter((r) => r.scored);
  const totals = totalsByCandidate ?? candidateTotals(scored);
  const facility = facilityByItem(scored);
  const perCandidate = new Map<string, { pq: number; k: number }>();
  for (const r of scored) {
    const p = facility.get(r.itemKey) ?? 0;
    const entry = perCandidate.get(r.candidateId) ?? { pq: 0, k: 0 };
    entry.pq += p * (1 - p);
    entry.k += 1;
    perCandidate.set(r.candidateId, entry);
  }
  if (perCandidate.size < 2) return null;
  const k = commonFormLength([...perCandidate.values()].map((e) => e.k));
  if (k < 2) return null;
  const scores = [...perCandidate.keys()].map((id) => totalScoreOf(totals, id));
  const variance = sumOfSquares(scores) / scores.length;
  if (variance === 0) return null;
  const meanPq = mean([...perCandidate.values()].map((e) => e.pq));
  return (k / (k - 1)) * (1 - meanPq / variance);
}

function facilityByItem(scored: readonly ItemResponse[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const [itemKey, rs] of groupBy(scored, (r) => r.itemKey)) {
    result.set(itemKey, rs.filter((r) => r.correct).length / rs.length);
  }
  return result;
}

function commonFormLength(lengths: number[]): number {
  const k = lengths[0];
  if (lengths.some((l) => l !== k)) {
    const range = `${Math.min(...lengths)}..${Math.max(...lengths)}`;
    throw new RangeError(`Pooled KR-20 needs the same number of scored items per candidate (found ${range})`);
  }
  return k;
}

function totalScoreOf(totals: Map<string, CandidateTotal>, candidateId: string): number {
  const total = totals.get(candidateId);
  if (!total) throw new RangeError(`No total score for candidate ${candidateId}`);
  return total.score;
}

/** SEM = SD · √(1 − ρ). Reliability is clamped to [0, 1] (KR-20 can go negative on small samples), so SEM ≤ SD. */
export function standardErrorOfMeasurement(sd: number, reliability: number): number {
  return sd * Math.sqrt(1 - clamp(reliability, 0, 1));
}

/**
 * Subkoviak (1976) single-administration decision consistency. True proportion by Kelley's (1927) regression
 * τ̂ = ρ·x/n + (1 − ρ)·mean/n, P_pass = P(Binomial(n, τ̂) ≥ cut), p0 = mean(P² + (1 − P)²),
 * pc = p̄² + (1 − p̄)², κ = (p0 − pc)/(1 − pc).
 */
export function decisionConsistency(
  totals: readonly number[],
  maxScore: number,
  cutScore: number,
  reliability: number,
): DecisionConsistency {
  if (totals.length === 0) throw new RangeError('Decision consistency needs at least one total');
  const rho = clamp(reliability, 0, 1);
  const meanScore = mean(totals);
  const passProbabilities = totals.map((x) => {
    const tau = clamp((rho * x + (1 - rho) * meanScore) / maxScore, 0, 1);
    return binomialUpperTail(maxScore, tau, cutScore);
  });
  const agreement = mean(passProbabilities.map((p) => p * p + (1 - p) * (1 - p)));
  const pBar = mean(passProbabilities);
  const chance = pBar * pBar + (1 - pBar) * (1 - pBar);
  return {
    agreement,
    kappa: chance >= 1 ? null : (agreement - chance) / (1 - chance),
    passRate: totals.filter((x) => x >= cutScore).length / totals.length,
  };
}

/** P(X ≥ cut) for X ~ Binomial(n, p), summed in log space so long forms do not underflow. */
export function binomialUpperTail(n: number, p: number, cut: number): number {
  const first = Math.max(0, Math.ceil(cut));
  if (first > n) return 0;
  if (first === 0 || p >= 1) return 1;
  if (p <= 0) return 0;
  const logOdds = Math.log(p) - Math.log(1 - p);
  let logPmf = logChoose(n, first) + first * Math.log(p) + (n - first) * Math.log(1 - p);
  let sum = 0;
  for (let k = first; k <= n; k++) {
    sum += Math.exp(logPmf);
    logPmf += Math.log((n - k) / (k + 1)) + logOdds;
  }
  return Math.min(1, sum);
}

function logChoose(n: number, k: number): number {
  let result = 0;
  for (let i = 1; i <= k; i++) result += Math.log((n - k + i) / i);
  return result;
}

/**
 * Mantel–Haenszel DIF (Holland & Thayer 1988). Strata = scored total score; for a scored studied item the total
 * includes it, as Holland & Thayer recommend. α_MH > 1 (Δ_MH = −2.35 ln α < 0) means the item favours the reference
 * group. Null when either group has fewer than `minGroup` candidates who saw the item, or α is 0 or ∞.
 */
export function mantelHaenszel(
  responses: readonly ItemResponse[],
  groupOf: Map<string, DifGroup>,
  itemKey: string,
  options: { minGroup?: number } = {},
): MantelHaenszelResult | null {
  const totals = candidateTotals(responses);
  const studied = responses.filter((r) => r.itemKey === itemKey && groupOf.has(r.candidateId));
  const nReference = studied.filter((r) => groupOf.get(r.candidateId) === 'reference').length;
  const nFocal = studied.length - nReference;
  const minGroup = options.minGroup ?? 100;
  if (nReference < minGroup || nFocal < minGroup) return null;

  const sums = mantelHaenszelSums(studied, groupOf, totals);
  if (sums.oddsNumerator === 0 || sums.oddsDenominator === 0) return null;
  const alphaMH = sums.oddsNumerator / sums.oddsDenominator;
  const deltaMH = -2.35 * Math.log(alphaMH);
  // Continuity-corrected MH χ² (Mantel & Haenszel 1959), floored at 0 when |O − E| < ½.
  const chiSquare = sums.variance > 0 ? Math.max(0, Math.abs(sums.observed - sums.expected) - 0.5) ** 2 / sums.variance : 0;
  const pValue = chiSquareOneDfPValue(chiSquare);
  return { itemKey, nReference, nFocal, alphaMH, deltaMH, chiSquare, pValue, category: etsCategory(deltaMH, pValue) };
}

interface Stratum {
  refRight: number;
  refWrong: number;
  focalRight: number;
  focalWrong: number;
}

function mantelHaenszelSums(studied: ItemResponse[], groupOf: Map<string, DifGroup>, totals: Map<string, CandidateTotal>) {
  const strata = new Map<number, Stratum>();
  for (const r of studied) {
    const score = totals.get(r.candidateId)?.score ?? 0;
    const s = strata.get(score) ?? { refRight: 0, refWrong: 0, focalRight: 0, focalWrong: 0 };
    if (groupOf.get(r.candidateId) === 'reference') s[r.correct ? 'refRight' : 'refWrong'] += 1;
    else s[r.correct ? 'focalRight' : 'focalWrong'] += 1;
    strata.set(score, s);
  }
  const sums = { oddsNumerator: 0, oddsDenominator: 0, observed: 0, expected: 0, variance: 0 };
  for (const s of strata.values()) {
    const nRef = s.refRight + s.refWrong;
    const nFocal = s.focalRight + s.focalWrong;
    if (nRef === 0 || nFocal === 0) continue;
    const t = nRef + nFocal;
    const right = s.refRight + s.focalRight;
    const wrong = s.refWrong + s.focalWrong;
    sums.oddsNumerator += (s.refRight * s.focalWrong) / t;
    sums.oddsDenominator += (s.refWrong * s.focalRight) / t;
    sums.observed += s.refRight;
    sums.expected += (nRef * right) / t;
    sums.variance += (nRef * nFocal * right * wrong) / (t * t * (t - 1));
  }
  return sums;
}

// ETS categories (Zieky 1993). ETS's C asks that |Δ| be significantly greater than 1; as a practical rule we use
// |Δ| ≥ 1.5 together with a significant MH χ² (p < 0.05), as many operational programmes do.
function etsCategory(deltaMH: number, pValue: number): 'A' | 'B' | 'C' {
  const size = Math.abs(deltaMH);
  if (size < 1 || pValue >= 0.05) return 'A';
  return size >= 1.5 ? 'C' : 'B';
}

/** Upper tail of χ² with 1 degree of freedom: P(χ²₁ > x) = erfc(√(x/2)). */
export function chiSquareOneDfPValue(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

/** Complementary error function, Numerical Recipes' erfcc (Chebyshev fit; fractional error < 1.2e-7). */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = t * Math.exp(-z * z + poly);
  return x >= 0 ? result : 2 - result;
}

/** Pearson correlation; null when fewer than 2 pairs or either variable has zero variance. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`pearson: lengths differ (${x.length} vs ${y.length})`);
  if (x.length < 2) return null;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return clamp(sxy / Math.sqrt(sxx * syy), -1, 1);
}

/** Spearman's ρ: Pearson on ranks, tied values get their average rank. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new RangeError(`spearman: lengths differ (${x.length} vs ${y.length})`);
  return pearson(averageRanks(x), averageRanks(y));
}

function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j].value === order[i].value) j++;
    const rank = (i + 1 + j) / 2; // mean of 1-based ranks i+1..j
    for (let m = i; m < j; m++) ranks[order[m].index] = rank;
    i = j;
  }
  return ranks;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

function sumOfSquares(values: readonly number[]): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) ** 2;
  return sum;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function groupBy<T>(values: readonly T[], keyOf: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const v of values) {
    const key = keyOf(v);
    const group = groups.get(key);
    if (group) group.push(v);
    else groups.set(key, [v]);
  }
  return groups;
}
