import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { CertificatesService } from '../certificates.service';

export interface CertificateExpiryReminderJobData {
  certificateId: string;
  daysBefore: number;
}

/** Delayed to 60 and 14 days before expiry; does nothing if the certificate was revoked or renewed meanwhile. */
@Injectable()
@JobHandler(JobName.CertificateExpiryReminder)
export class CertificateExpiryReminderJob implements JobHandlerInstance<CertificateExpiryReminderJobData> {
  constructor(private readonly certificates: CertificatesService) {}

  async handle({ certificateId, daysBefore }: CertificateExpiryReminderJobData): Promise<void> {
    await this.certificates.remindExpiry(certificateId, daysBefore);
  }
}
