import { describe, expect, it } from 'vitest';
import { domainScores, type FrameworkDomain, isStrong, ratedCount, type Rating, type Ratings, suggestNextStep } from './scoring';

/** Eight domains of five criteria, shaped as GET /api/framework sends them. */
const DOMAINS: FrameworkDomain[] = Array.from({ length: 8 }, (_, i) => ({
  code: `D0${i + 1}`,
  title: `Domain ${i + 1}`,
  criteria: Array.from({ length: 5 }, (_, j) => ({ code: `D0${i + 1}.${j + 1}`, text: `criterion ${j + 1}` })),
}));

/** Every criterion of the listed domains rated the same. */
function rate(domains: string[], rating: Rating, base: Ratings = {}): Ratings {
  const ratings = { ...base };
  for (const d of DOMAINS.filter((x) => domains.includes(x.code))) for (const c of d.criteria) ratings[c.code] = rating;
  return ratings;
}
const ALL = DOMAINS.map((d) => d.code);
const FIRST_SEVEN = ALL.slice(0, 7);

describe('domainScores', () => {
  it('adds the ratings per domain out of 15, counting unrated criteria as 0', () => {
    const [d1, d2] = domainScores(DOMAINS, { 'D01.1': 3, 'D01.2': 2, 'D01.5': 0 });
    expect(d1).toEqual({ code: 'D01', title: 'Domain 1', points: 5, maxPoints: 15, percent: 33, rated: 3, criteria: 5 });
    expect(d2).toMatchObject({ points: 0, percent: 0, rated: 0 });
  });

  it('ignores values that are not on the scale (a tampered browser copy)', () => {
    const [d1] = domainScores(DOMAINS, { 'D01.1': 7, 'D01.2': 1 } as unknown as Ratings);
    expect(d1).toMatchObject({ points: 1, rated: 1 });
  });

  it('counts the rated criteria across the framework', () => {
    expect(ratedCount(DOMAINS, rate(['D02'], 0, { 'D08.5': 3 }))).toBe(6);
  });
});

describe('isStrong', () => {
  it('needs two thirds of the points: 10 of 15 is strong, 9 is not', () => {
    const score = (points: number) => ({ code: 'D01', title: '', points, maxPoints: 15, percent: 0, rated: 5, criteria: 5 });
    expect(isStrong(score(10))).toBe(true);
    expect(isStrong(score(9))).toBe(false);
  });
});

describe('suggestNextStep', () => {
  it('suggests nothing while nothing is rated', () => {
    expect(suggestNextStep(domainScores(DOMAINS, {}))).toBeNull();
  });

  it('suggests AIDA while scores are low, and says how many domains are strong', () => {
    const step = suggestNextStep(domainScores(DOMAINS, rate(ALL, 1)));
    expect(step?.credential).toBe('AIDA');
    expect(step?.reason).toMatch(/^None of the eight domains are strong/);
    expect(suggestNextStep(domainScores(DOMAINS, rate(['D01'], 3)))?.reason).toMatch(/^1 of the eight domains is strong/);
  });

  it('suggests AIDA when six of D01–D07 are strong but one is not', () => {
    const ratings = rate(ALL, 3, rate(['D05'], 1));
    expect(suggestNextStep(domainScores(DOMAINS, rate(['D05'], 1, ratings)))?.credential).toBe('AIDA');
  });

  it('suggests CPAP when D01–D07 are strong and D08 is not', () => {
    const step = suggestNextStep(domainScores(DOMAINS, rate(FIRST_SEVEN, 2, rate(['D08'], 1))));
    expect(step?.credential).toBe('CPAP');
    expect(step?.reason).toContain('D08 is not strong yet');
    // D08 left unrated counts as not strong too.
    expect(suggestNextStep(domainScores(DOMAINS, rate(FIRST_SEVEN, 3)))?.credential).toBe('CPAP');
  });

  it('suggests CPAA when all eight domains are strong, D08 included', () => {
    expect(suggestNextStep(domainScores(DOMAINS, rate(ALL, 2)))?.credential).toBe('CPAA');
  });

  it('does not count a half-rated domain as strong, however high its ratings', () => {
    const ratings = rate(ALL, 3);
    delete ratings['D08.4'];
    delete ratings['D08.5'];
    expect(suggestNextStep(domainScores(DOMAINS, ratings))?.credential).toBe('CPAP');
  });
});
