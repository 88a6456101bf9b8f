import { panelOutcome } from './panel-outcome';

const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];
const sheet = (scores: number[]) => scores.map((score, i) => ({ domain: DOMAINS[i], score }));

describe('panel outcome', () => {
  it('passes a domain when two of three assessors judge it met, and the interview when every domain passes', () => {
    const result = panelOutcome(
      [sheet([2, 2, 3, 2, 2, 2, 2, 2]), sheet([2, 1, 2, 2, 3, 2, 2, 2]), sheet([1, 2, 2, 2, 2, 2, 2, 1])],
      DOMAINS,
      2,
      2,
    );
    expect(result.outcome).toBe('pass');
    expect(result.domains.map((d) => d.votes)).toEqual([2, 2, 3, 3, 3, 3, 3, 2]);
  });

  it('fails when one domain has only one "met" vote', () => {
    const result = panelOutcome(
      [sheet([2, 2, 2, 2, 2, 2, 2, 1]), sheet([2, 2, 2, 2, 2, 2, 2, 1]), sheet([2, 2, 2, 2, 2, 2, 2, 3])],
      DOMAINS,
      2,
      2,
    );
    expect(result.outcome).toBe('fail');
    expect(result.domains.find((d) => d.domain === 'D08')).toEqual({ domain: 'D08', votes: 1, met: false });
  });

  it('follows the settings: unanimity at "exceeded" is stricter', () => {
    const sheets = [sheet([3, 3, 3, 3, 3, 3, 3, 3]), sheet([3, 3, 3, 3, 3, 3, 3, 3]), sheet([3, 3, 3, 3, 3, 3, 3, 2])];
    expect(panelOutcome(sheets, DOMAINS, 3, 3).outcome).toBe('fail');
    expect(panelOutcome(sheets, DOMAINS, 2, 3).outcome).toBe('pass');
  });
});
