import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { JobRecovery } from '../../../infrastructure/queue/job-recovery';
import type { OutboxJob } from '../../../infrastructure/queue/outbox-jobs.repository';
import { AdminRecipientsRepository } from '../admin-recipients.repository';
import { MailService } from '../mail.service';

/** Tells every active administrator that a job failed for good: nothing runs it again until the reconciler's retry or theirs. */
@Injectable()
@JobHandler(JobName.AlertJobFailed)
export class AlertJobFailedJob implements JobHandlerInstance<JobName.AlertJobFailed> {
  constructor(
    private readonly recovery: JobRecovery,
    private readonly admins: AdminRecipientsRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ outboxId, failures }: JobPayloads[JobName.AlertJobFailed]): Promise<void> {
    const job = await this.recovery.describe(outboxId);
    if (!job || job.completedAt) return; // retried and done since: nothing left to act on
    const subject = `A background job failed: ${job.jobName}`;
    const text = this.body(job, failures);
    for (const admin of await this.admins.activeAdmins()) {
      await this.mail.send({
        dedupeKey: `job-failed:${outboxId}:${failures}:${admin.id}`,
        template: 'job-failed',
        to: admin.email,
        subject,
        text,
      });
    }
  }

  private body(job: OutboxJob, failures: number): string {
    const retryMinutes = Math.round(this.config.reconcile.failedRetryMs / 60_000);
    const count = failures > 1 ? ` (failure ${failures}; retried ${failures - 1} times)` : '';
    return [
      `The background job ${job.jobName} (${job.id}) has failed: it ran out of attempts or stalled too often${count}.`,
      '',
      `Due since: ${job.runAt.toISOString()}`,
      `Failed at: ${job.failedAt?.toISOString() ?? 'just now'}`,
      `Error: ${job.jobError ?? 'none recorded'}`,
      '',
      `It is retried automatically ${retryMinutes} minutes after each failure; you will hear again at its 5th, 10th, … failure.`,
      `Retry it now or see every failed job at ${this.config.publicUrl}/admin/jobs.`,
    ].join('\n');
  }
}
