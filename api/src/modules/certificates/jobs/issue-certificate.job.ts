import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { CertificatesService } from '../certificates.service';

export interface IssueCertificateJobData {
  credentialEventId: string;
}

@Injectable()
@JobHandler(JobName.IssueCertificate)
export class IssueCertificateJob implements JobHandlerInstance<IssueCertificateJobData> {
  constructor(private readonly certificates: CertificatesService) {}

  async handle({ credentialEventId }: IssueCertificateJobData): Promise<void> {
    await this.certificates.issueForEvent(credentialEventId);
  }
}
