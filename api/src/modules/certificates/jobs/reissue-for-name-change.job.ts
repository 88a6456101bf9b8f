import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CertificateReissueService } from '../certificate-reissue.service';

/** An approved name change (users module): the holder's active certificates are re-issued under the new name. */
@Injectable()
@JobHandler(JobName.ReissueForNameChange)
export class ReissueForNameChangeJob implements JobHandlerInstance<JobName.ReissueForNameChange> {
  constructor(private readonly reissue: CertificateReissueService) {}

  async handle({ userId, nameChangeRequestId }: JobPayloads[JobName.ReissueForNameChange]): Promise<void> {
    await this.reissue.reissueForNameChange(userId, nameChangeRequestId);
  }
}
