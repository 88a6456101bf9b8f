import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { AttemptClosingService } from '../attempt-closing.service';

/** Delayed until the attempt's deadline: scores it as expired unless the candidate submitted. */
@Injectable()
@JobHandler(JobName.AutoSubmitAttempt)
export class AutoSubmitAttemptJob implements JobHandlerInstance<JobName.AutoSubmitAttempt> {
  constructor(private readonly exams: AttemptClosingService) {}

  async handle({ attemptId }: JobPayloads[JobName.AutoSubmitAttempt]): Promise<void> {
    const outcome = await this.exams.expireIfDue(attemptId);
    // Fired a little early (clocks): fail so BullMQ retries with backoff; the sweep is the backstop.
    if (outcome === 'not-due') throw new Error(`attempt ${attemptId} is not due yet`);
  }
}
