import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { AuthUser } from '../../common/auth/auth-user';
import { STEP_UP_REQUIRED, stepUpUntil } from '../../common/auth/step-up';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { isOutboxId, JobRecovery } from '../../infrastructure/queue/job-recovery';
import { QueueName } from '../../infrastructure/queue/job-names';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { AuditService } from '../audit/audit.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { queueBoardKey, readQueueBoardPass, signQueueBoardPass } from './queue-board-pass';

/** Who may look at the board now, or why not (401: no valid pass or the session ended; 403: no longer an administrator). */
export type QueueBoardAccess = { allowed: true; actor: AuthUser } | { allowed: false; status: 401 | 403; message: string };

/** A "retry all failed" goes through this many jobs at most; the rest wait for the next click (or the reconciler). */
const RETRY_ALL_LIMIT = 500;
const RETRY_ALL_PAGE = 100;

const QUEUE_NAMES = new Set<string>(Object.values(QueueName));

/**
 * The Bull Board at /admin/queues (issue #16): who may open it, and the one change it may make — running
 * a failed job again. A browser navigation carries no bearer token, so the SPA asks for a pass (a signed
 * cookie) that names the session and lasts no longer than its step-up window; every board request checks
 * that the session is still live and its person still an administrator, as the bearer check does.
 */
@Injectable()
export class QueueBoardService {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly queues: QueueRegistry,
    private readonly recovery: JobRecovery,
    private readonly audit: AuditService,
  ) {
    this.key = queueBoardKey(config.jwtSecret);
  }

  /** A pass for this session that ends with its step-up window (the route's guard saw one open). */
  async openPass(actor: AuthUser): Promise<{ value: string; expiresAt: Date }> {
    const until = stepUpUntil(actor, this.config);
    if (!until) throw new ForbiddenException({ message: 'Confirm it is you to open the queue board', reason: STEP_UP_REQUIRED });
    const expiresAt = new Date(until);
    await this.audit.appendAlone({
      actorId: actor.id,
      action: 'queue_board.opened',
      subjectType: 'job',
      data: { sessionId: actor.sessionFamilyId, until },
    });
    return { value: signQueueBoardPass(this.key, { sessionId: actor.sessionFamilyId, userId: actor.id, expiresAt }), expiresAt };
  }

  /** Checks a board request's pass against the database: signed here, not expired, session live, still an administrator. */
  async access(cookie: unknown): Promise<QueueBoardAccess> {
    const pass = readQueueBoardPass(this.key, cookie);
    if (!pass) return { allowed: false, status: 401, message: 'Your pass to the queue board is missing or has expired.' };
    const live = await this.sessions.liveSessionUser(pass.userId, pass.sessionId, this.config.sessions.staffIdleSeconds);
    if (!live) return { allowed: false, status: 401, message: 'The session that opened the queue board has ended.' };
    if (!live.user.roles.includes('admin')) return { allowed: false, status: 403, message: 'The queue board is for administrators only.' };
    // The pass ends with the step-up window it was given in; a shortened window (configuration) ends it too.
    if (!stepUpUntil(live.user, this.config)) return { allowed: false, status: 401, message: 'Your pass to the queue board has expired.' };
    return { allowed: true, actor: { ...live.user, sessionFamilyId: pass.sessionId } };
  }

  /**
   * Runs one failed job again and audits it. An outbox job goes through JobRecovery, as on the Jobs page, so
   * its row stops counting as failed; a job without a row (a periodic safety net) is retried in Redis alone.
   */
  async retry(actor: AuthUser, queueName: string, jobId: string): Promise<void> {
    const job = await this.failedJob(queueName, jobId);
    const outcome = isOutboxId(jobId) ? await this.recovery.retryFailed(jobId) : 'not_found';
    if (outcome === 'not_failed') throw new ConflictException('This job has not failed: it completed, or it was retried already');
    if (outcome === 'not_found') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    await this.audit.appendAlone({
      actorId: actor.id,
      action: 'job.retried',
      subjectType: 'job',
      subjectId: jobId,
      data: { queue: queueName, jobName: job.name, via: 'queue_board' },
    });
  }

  /** "Retry all" of the failed list: each job as `retry` does (one audit entry each), up to RETRY_ALL_LIMIT. */
  async retryAllFailed(actor: AuthUser, queueName: string): Promise<{ retried: number; skipped: number }> {
    const queue = this.queues.get(this.queueName(queueName));
    const seen = new Set<string>();
    let retried = 0;
    while (seen.size < RETRY_ALL_LIMIT) {
      const page = (await queue.getJobs(['failed'], 0, RETRY_ALL_PAGE - 1)).filter((job) => job.id && !seen.has(job.id));
      if (page.length === 0) break;
      for (const job of page.slice(0, RETRY_ALL_LIMIT - seen.size)) {
        seen.add(job.id!);
        // One that someone else retried (or that vanished) meanwhile is skipped, not an error.
        const done = await this.retry(actor, queueName, job.id!).then(
          () => true,
          (error) => (error instanceof ConflictException || error instanceof NotFoundException ? false : Promise.reject(error)),
        );
        if (done) retried += 1;
      }
    }
    const left = (await queue.getJobCounts('failed')).failed ?? 0;
    return { retried, skipped: left };
  }

  private queueName(name: string): QueueName {
    if (!QUEUE_NAMES.has(name)) throw new NotFoundException('No such queue');
    return name as QueueName;
  }

  private async failedJob(queueName: string, jobId: string): Promise<Job> {
    const job = await this.queues.get(this.queueName(queueName)).getJob(jobId);
    if (!job) throw new NotFoundException('No such job');
    if ((await job.getState()) !== 'failed') throw new ConflictException('Only a failed job can be retried here');
    return job;
  }
}
