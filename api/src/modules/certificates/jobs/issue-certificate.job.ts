import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CertificatesService } from '../certificates.service';

@Injectable()
@JobHandler(JobName.IssueCertificate)
export class IssueCertificateJob implements JobHandlerInstance<JobName.IssueCertificate> {
  constructor(private readonly certificates: CertificatesService) {}

  async handle({ credentialEventId }: JobPayloads[JobName.IssueCertificate]): Promise<void> {
    await this.certificates.issueForEvent(credentialEventId);
  }
}
