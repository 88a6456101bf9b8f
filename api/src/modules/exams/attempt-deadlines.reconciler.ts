import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { AttemptsRepository } from './attempts.repository';

/** Attempts looked at per reconciliation pass; the rest wait for the next one. */
const BATCH = 500;

/**
 * Every attempt in progress is closed at its deadline: starting it queues AutoSubmitAttempt for the deadline. An
 * attempt whose job is gone (never written, deleted, or completed without closing it) gets it again, with the same
 * run time; one already past its deadline runs at once, through the same scoring path (AttemptClosingService.expireIfDue).
 * The ExpireOverdueAttempts sweep is a second net, but it lives in Redis (a job scheduler), and this one in PostgreSQL.
 */
@Injectable()
@Reconciler()
export class AttemptDeadlinesReconciler implements ReconcilerInstance {
  readonly name = 'exams.overdue-attempts';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly attempts: AttemptsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const startedBefore = new Date(now.getTime() - this.config.reconcile.graceMs);
    let requeued = 0;
    for (const attempt of await this.attempts.inProgressStartedBefore(startedBefore, BATCH)) {
      if (await this.requeue(attempt.id, attempt.deadline)) requeued += 1;
    }
    return requeued;
  }

  private requeue(attemptId: string, deadline: Date): Promise<boolean> {
    return this.outbox.enqueueUnlessOpen(JobName.AutoSubmitAttempt, { attemptId }, { runAt: deadline });
  }
}
