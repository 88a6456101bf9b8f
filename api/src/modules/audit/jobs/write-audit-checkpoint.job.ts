import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { AuditCheckpoints } from '../audit-checkpoints.service';

/** Every minute: writes the audit chain's checkpoint when AUDIT_CHECKPOINT_MINUTES have passed since the last one. */
@Injectable()
@JobHandler(JobName.WriteAuditCheckpoint)
export class WriteAuditCheckpointJob implements JobHandlerInstance<JobName.WriteAuditCheckpoint> {
  constructor(private readonly checkpoints: AuditCheckpoints) {}

  async handle(): Promise<void> {
    const outcome = await this.checkpoints.write();
    // A broken chain fails the job, so it shows among failed jobs and is retried (and logged) until fixed.
    if (outcome.written === false && outcome.why === 'broken') throw new Error(`audit checkpoint refused: ${outcome.problem.reason}`);
  }
}
