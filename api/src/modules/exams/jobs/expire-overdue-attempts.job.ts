import { Injectable, Logger } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { AttemptClosingService } from '../attempt-closing.service';

/** The periodic sweep: closes any attempt past its deadline that the delayed job missed. */
@Injectable()
@JobHandler(JobName.ExpireOverdueAttempts)
export class ExpireOverdueAttemptsJob implements JobHandlerInstance<JobName.ExpireOverdueAttempts> {
  private readonly logger = new Logger(ExpireOverdueAttemptsJob.name);

  constructor(private readonly exams: AttemptClosingService) {}

  async handle(): Promise<void> {
    const closed = await this.exams.sweepOverdue();
    if (closed) this.logger.warn(`sweep closed ${closed} overdue attempt(s) the deadline job had missed`);
  }
}
