import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import { AttemptQuestionsRepository } from './attempt-questions.repository';
import { type Attempt, AttemptsRepository } from './attempts.repository';
import { scoreAttempt } from './scoring';

/** Closing an attempt: scoring it on submit or at its deadline (the delayed job, the sweep, a late read). */
@Injectable()
export class AttemptClosingService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly questions: AttemptQuestionsRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  /** Closes and scores an attempt whose deadline has passed; false when it is not due yet. */
  async expireIfDue(attemptId: string): Promise<'expired' | 'already-closed' | 'not-due' | 'missing'> {
    return this.dataSource.transaction(async (tx) => {
      const attempt = await this.attempts.findAttempt(attemptId, null, tx, true);
      if (!attempt) return 'missing';
      if (attemptLifecycle.isFinal(attempt.status)) return 'already-closed';
      if (attempt.deadline.getTime() > attempt.serverTime.getTime()) return 'not-due';
      await this.score(tx, attempt, 'expired');
      return 'expired';
    });
  }

  async sweepOverdue(): Promise<number> {
    let closed = 0;
    for (const id of await this.attempts.overdueAttemptIds(500)) {
      if ((await this.expireIfDue(id)) === 'expired') closed += 1;
    }
    return closed;
  }

  /** Scores and closes an attempt the caller holds locked in `tx`. */
  async score(tx: EntityManager, attempt: Attempt, status: Exclude<AttemptState, 'in_progress'>): Promise<void> {
    attemptLifecycle.assert(attempt.status, status);
    // Pretest questions gather statistics only: the result rests on the scored questions alone.
    const questions = (await this.questions.questionsOf(attempt.id, tx)).filter((q) => q.scored);
    const answers = new Map((await this.questions.answersOf(attempt.id, tx)).map((a) => [a.questionId, a]));
    const scored = questions.map((q) => {
      const chosen = q.options.find((o) => o.id === answers.get(q.id)?.optionId);
      const keyed = chosen && q.versionOptions.find((v) => v.id === chosen.source)?.key === true;
      return { domain: q.domain, correct: Boolean(keyed) };
    });
    const result = scoreAttempt(scored, Number(attempt.passMarkPercent), this.programme.framework.domains);
    await this.attempts.recordResult(tx, attempt.id, status, { ...result, domains: result.domains });
    await this.audit.append(tx, {
      actorId: status === 'submitted' ? attempt.userId : null,
      action: 'exam.attempt_scored',
      subjectType: 'attempt',
      subjectId: attempt.id,
      data: { status, correct: result.correct, total: result.total, scorePercent: result.scorePercent, passed: result.passed },
    });
    // The pass becomes a certificate through the outbox; one event per attempt (unique constraint).
    if (result.passed) {
      await this.credentialEvents.recordPass(tx, {
        userId: attempt.userId,
        credential: 'AIDA',
        sourceType: 'aida_attempt',
        sourceId: attempt.id,
      });
    }
  }
}
