export interface ScoredQuestion {
  domain: string;
  correct: boolean;
}

export interface DomainResult {
  code: string;
  title: string;
  correct: number;
  total: number;
}

export interface ExamResult {
  correct: number;
  total: number;
  scorePercent: number;
  passMarkPercent: number;
  passed: boolean;
  domains: DomainResult[];
}

/** correct/total, pass at the pass mark (inclusive), per-domain correct/total in framework order. */
export function scoreAttempt(
  questions: ScoredQuestion[],
  passMarkPercent: number,
  domains: Array<{ code: string; title: string }>,
): ExamResult {
  const correct = questions.filter((q) => q.correct).length;
  const total = questions.length;
  const scorePercent = total ? Math.round((10_000 * correct) / total) / 100 : 0;
  return {
    correct,
    total,
    scorePercent,
    passMarkPercent,
    passed: total > 0 && scorePercent >= passMarkPercent,
    domains: domains
      .map((d) => ({
        code: d.code,
        title: d.title,
        correct: questions.filter((q) => q.domain === d.code && q.correct).length,
        total: questions.filter((q) => q.domain === d.code).length,
      }))
      .filter((d) => d.total > 0),
  };
}
