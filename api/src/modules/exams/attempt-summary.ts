import type { AttemptSummaryDto } from './dto/exam.dto';
import type { Attempt } from './attempts.repository';

export function toSummary(
  r: Pick<Attempt, 'id' | 'status' | 'startedAt' | 'deadline' | 'submittedAt' | 'scorePercent' | 'passed'>,
): AttemptSummaryDto {
  return {
    id: r.id,
    status: r.status,
    startedAt: r.startedAt.toISOString(),
    deadline: r.deadline.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    scorePercent: r.scorePercent === null ? null : Number(r.scorePercent),
    passed: r.passed,
  };
}
