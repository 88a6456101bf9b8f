import { consolidate, type SubmittedReview } from './consolidation';

const domains = ['D01', 'D02'];
const review = (recommendation: SubmittedReview['recommendation'], met: Record<string, boolean>): SubmittedReview => ({
  recommendation,
  domainJudgements: Object.entries(met).map(([domain, m]) => ({ domain, met: m })),
});

describe('consolidate', () => {
  it('follows two agreeing reviews', () => {
    expect(consolidate([review('pass', { D01: true, D02: true }), review('pass', { D01: true, D02: true })], domains)).toEqual({
      outcome: 'pass',
    });
    expect(consolidate([review('revise', { D01: true, D02: false }), review('revise', { D01: true, D02: false })], domains)).toEqual({
      outcome: 'revise',
    });
  });

  it('sends differing recommendations to adjudication', () => {
    expect(consolidate([review('pass', { D01: true, D02: true }), review('revise', { D01: true, D02: true })], domains)).toEqual({
      adjudicate: 'recommendations differ (pass / revise)',
    });
  });

  it('sends a domain met by one and not the other to adjudication, even with the same recommendation', () => {
    expect(consolidate([review('revise', { D01: true, D02: false }), review('revise', { D01: false, D02: false })], domains)).toEqual({
      adjudicate: 'reviewers disagree on D01',
    });
  });

  it('does not pass when a domain is not met, even if both recommend pass', () => {
    expect(consolidate([review('pass', { D01: true, D02: false }), review('pass', { D01: true, D02: false })], domains)).toEqual({
      adjudicate: 'both recommend pass but D02 not met (pass rule: every domain met)',
    });
  });
});
