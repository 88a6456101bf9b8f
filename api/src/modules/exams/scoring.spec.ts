import { scoreAttempt } from './scoring';

const domains = [
  { code: 'D01', title: 'Data Governance & PII' },
  { code: 'D02', title: 'Model Selection & Evaluation' },
];

describe('scoreAttempt', () => {
  const q = (domain: string, correct: boolean) => ({ domain, correct });

  it('passes exactly at the pass mark and fails just below it', () => {
    const atMark = [...Array(14)].map(() => q('D01', true)).concat([...Array(6)].map(() => q('D02', false)));
    expect(scoreAttempt(atMark, 70, domains)).toMatchObject({ correct: 14, total: 20, scorePercent: 70, passed: true });
    const below = [...Array(13)].map(() => q('D01', true)).concat([...Array(7)].map(() => q('D02', false)));
    expect(scoreAttempt(below, 70, domains)).toMatchObject({ correct: 13, scorePercent: 65, passed: false });
  });

  it('breaks the score down by domain with the domain names', () => {
    const result = scoreAttempt([q('D01', true), q('D01', false), q('D02', true)], 70, domains);
    expect(result.domains).toEqual([
      { code: 'D01', title: 'Data Governance & PII', correct: 1, total: 2 },
      { code: 'D02', title: 'Model Selection & Evaluation', correct: 1, total: 1 },
    ]);
    expect(result.scorePercent).toBe(66.67);
  });

  it('counts an unanswered question as wrong', () => {
    expect(scoreAttempt([q('D01', false)], 70, domains)).toMatchObject({ correct: 0, total: 1, passed: false });
  });
});
