/**
 * The self-assessment's arithmetic, kept pure so it can be tested without a browser.
 *
 * Scale, one rating per criterion: 0 not in place, 1 started, 2 mostly in place, 3 fully in place and
 * evidenced. A criterion may be left unrated; a domain's score counts an unrated criterion as 0 (nothing
 * shown to be in place yet), so a domain is only strong once its criteria have been rated.
 */
export type Rating = 0 | 1 | 2 | 3;
export type Ratings = Record<string, Rating>;

export const RATING_SCALE: ReadonlyArray<{ value: Rating; label: string; meaning: string }> = [
  { value: 0, label: 'Not in place', meaning: 'nothing is done for this criterion yet' },
  { value: 1, label: 'Started', meaning: 'some work exists, but it is partial or informal' },
  { value: 2, label: 'Mostly in place', meaning: 'it is done for most of the system, with some evidence' },
  { value: 3, label: 'Fully in place and evidenced', meaning: 'it is done throughout, and you could show the evidence' },
];
export const RATING_MAX = 3;

export interface FrameworkDomain {
  code: string;
  title: string;
  criteria: Array<{ code: string; text: string }>;
}

export interface DomainScore {
  code: string;
  title: string;
  /** Sum of the ratings; unrated criteria count 0. */
  points: number;
  /** 3 × the number of criteria. */
  maxPoints: number;
  /** points / maxPoints, rounded to a whole percent. */
  percent: number;
  rated: number;
  criteria: number;
}

export function isRating(value: unknown): value is Rating {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

export function domainScores(domains: FrameworkDomain[], ratings: Ratings): DomainScore[] {
  return domains.map((d) => {
    const given = d.criteria.map((c) => ratings[c.code]).filter(isRating);
    const points = given.reduce<number>((sum, r) => sum + r, 0);
    const maxPoints = RATING_MAX * d.criteria.length;
    return {
      code: d.code,
      title: d.title,
      points,
      maxPoints,
      percent: maxPoints ? Math.round((100 * points) / maxPoints) : 0,
      rated: given.length,
      criteria: d.criteria.length,
    };
  });
}

export function ratedCount(domains: FrameworkDomain[], ratings: Ratings): number {
  return domains.reduce((n, d) => n + d.criteria.filter((c) => isRating(ratings[c.code])).length, 0);
}

/**
 * A domain is strong when its criteria average "Mostly in place" (2 of 3) or better: at least two thirds of
 * its points (10 of 15 for five criteria). Unrated criteria count 0, so a half-rated domain is not strong.
 */
export const STRONG_SHARE = 2 / 3;
export const isStrong = (d: DomainScore): boolean => d.maxPoints > 0 && d.points >= STRONG_SHARE * d.maxPoints;

/** CPAP's portfolio covers D01–D07; CPAA's all eight, D08 (assessing others) included. */
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

export type NextStep = { credential: 'AIDA' | 'CPAP' | 'CPAA'; reason: string };

/**
 * The next step the self-assessment suggests, from the domain scores (thresholds: see isStrong):
 * - all eight domains strong, D08 included → CPAA (portfolio on all eight domains and a panel interview);
 * - D01–D07 all strong (D08 not) → CPAP (portfolio on D01–D07);
 * - otherwise → AIDA, the free exam on all eight domains, which both portfolios require first anyway.
 * Null while nothing is rated: there is nothing to base a suggestion on.
 */
export function suggestNextStep(scores: DomainScore[]): NextStep | null {
  if (scores.every((d) => d.rated === 0)) return null;
  const strong = scores.filter(isStrong);
  const strongCodes = new Set(strong.map((d) => d.code));
  if (scores.length > 0 && strong.length === scores.length) {
    return {
      credential: 'CPAA',
      reason:
        'All eight domains, D08 included, are strong (an average of "Mostly in place" or better), and CPAA assesses all eight ' +
        'through a portfolio and a panel interview.',
    };
  }
  if (CPAP_DOMAINS.every((code) => strongCodes.has(code))) {
    return {
      credential: 'CPAP',
      reason:
        'Domains D01 to D07 are all strong (an average of "Mostly in place" or better), and they are exactly what the CPAP ' +
        'portfolio covers; D08 is not strong yet, which CPAA would need.',
    };
  }
  const count = strong.length;
  return {
    credential: 'AIDA',
    reason:
      `${count === 0 ? 'None' : count} of the eight domains ${count === 1 ? 'is' : 'are'} strong yet, so start with AIDA: the free ` +
      '20-question exam on all eight domains shows where to build up, and both portfolios require it first.',
  };
}
