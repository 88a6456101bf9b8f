import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CertificateReissueService } from '../certificate-reissue.service';
import { CertificatesService } from '../certificates.service';

@Injectable()
@JobHandler(JobName.IssueCertificate)
export class IssueCertificateJob implements JobHandlerInstance<JobName.IssueCertificate> {
  constructor(
    private readonly certificates: CertificatesService,
    private readonly reissue: CertificateReissueService,
  ) {}

  async handle({ credentialEventId }: JobPayloads[JobName.IssueCertificate]): Promise<void> {
    await this.certificates.issueForEvent(credentialEventId);
    // A pass that stands again after a changed decision revoked its certificate (an upheld appeal): a successor.
    await this.reissue.reissueForReinstatedPass(credentialEventId);
  }
}
