export type Recommendation = 'pass' | 'revise' | 'fail';

export interface SubmittedReview {
  recommendation: Recommendation;
  domainJudgements: Array<{ domain: string; met: boolean }>;
}

export type Consolidation = { outcome: Recommendation } | { adjudicate: string };

/**
 * Two reviews decide on their own when they agree: the same recommendation and no domain that
 * one judged met and the other not. A pass also needs every domain met (the default pass rule).
 * Anything else goes to an adjudicator, with the reason.
 */
export function consolidate(reviews: SubmittedReview[], domains: string[]): Consolidation {
  const [a, b] = reviews;
  if (a.recommendation !== b.recommendation) return { adjudicate: `recommendations differ (${a.recommendation} / ${b.recommendation})` };
  const met = (r: SubmittedReview, d: string) => r.domainJudgements.find((j) => j.domain === d)?.met === true;
  const split = domains.filter((d) => met(a, d) !== met(b, d));
  if (split.length) return { adjudicate: `reviewers disagree on ${split.join(', ')}` };
  if (a.recommendation === 'pass' && domains.some((d) => !met(a, d))) {
    return { adjudicate: `both recommend pass but ${domains.filter((d) => !met(a, d)).join(', ')} not met (pass rule: every domain met)` };
  }
  return { outcome: a.recommendation };
}
