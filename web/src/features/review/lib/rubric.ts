import type { Problem } from '../../../components/error-summary';
import type { ReviewDraft } from '../api/review';

export type { Problem };

/** The portfolio scale with what each level means: reviewers score against these words, not a bare number. */
export const RUBRIC = [
  {
    score: 0,
    label: 'Not evidenced',
    description: 'The narrative does not show the criterion is met, or gives nothing a reviewer can check.',
  },
  { score: 1, label: 'Partially', description: 'Some practice is described, but it is incomplete, informal or not shown to work.' },
  { score: 2, label: 'Met', description: 'The practice is in place across the deployment, with evidence a reviewer can check.' },
  { score: 3, label: 'Exemplary', description: 'Met, and measured, reviewed and improved: others could learn from it.' },
] as const;

/** Below this score the rules ask for a comment. */
export const COMMENT_BELOW = 2;

export interface ReviewState {
  scores: Record<string, { score: number | null; comment: string }>;
  domains: Record<string, boolean | null>;
  recommendation: 'pass' | 'revise' | 'fail' | null;
}

export const emptyState = (): ReviewState => ({ scores: {}, domains: {}, recommendation: null });

export function fromDraft(d: ReviewDraft | null): ReviewState {
  if (!d) return emptyState();
  return {
    scores: Object.fromEntries(d.criterionScores.map((c) => [c.criterion, { score: c.score, comment: c.comment ?? '' }])),
    domains: Object.fromEntries(d.domainJudgements.map((j) => [j.domain, j.met])),
    recommendation: d.recommendation,
  };
}

export function toDraft(s: ReviewState, criteria: string[], domains: string[]): ReviewDraft {
  return {
    criterionScores: criteria.map((c) => ({ criterion: c, score: s.scores[c]?.score ?? null, comment: s.scores[c]?.comment || undefined })),
    domainJudgements: domains.map((d) => ({ domain: d, met: s.domains[d] ?? null })),
    recommendation: s.recommendation,
  };
}

/** Every gap in plain words, at the control it concerns, in page order. */
export function problemsOf(s: ReviewState, criteria: string[], domains: string[]): Problem[] {
  const problems: Problem[] = [];
  for (const c of criteria) {
    const row = s.scores[c];
    if (row?.score === undefined || row.score === null) problems.push({ controlId: `score-${c}-0`, message: `Choose a score for ${c}` });
    else if (row.score < COMMENT_BELOW && !row.comment.trim())
      problems.push({ controlId: `note-${c}`, message: `Say why ${c} scores ${row.score}: a comment is needed below ${COMMENT_BELOW}` });
  }
  for (const d of domains) {
    if (s.domains[d] === undefined || s.domains[d] === null)
      problems.push({ controlId: `met-${d}-yes`, message: `Judge whether ${d} is met` });
  }
  if (!s.recommendation) problems.push({ controlId: 'rec-pass', message: 'Choose your recommendation' });
  return problems;
}
