import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CertificateRemindersService } from '../certificate-reminders.service';

/** Delayed to 60 and 14 days before expiry; does nothing if the certificate was revoked or renewed meanwhile. */
@Injectable()
@JobHandler(JobName.CertificateExpiryReminder)
export class CertificateExpiryReminderJob implements JobHandlerInstance<JobName.CertificateExpiryReminder> {
  constructor(private readonly certificates: CertificateRemindersService) {}

  async handle({ certificateId, daysBefore }: JobPayloads[JobName.CertificateExpiryReminder]): Promise<void> {
    await this.certificates.remindExpiry(certificateId, daysBefore);
  }
}
