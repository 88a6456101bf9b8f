import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { MailService } from '../notifications/mail.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { effectiveCertificateStatus } from './certificate-lifecycle';
import { CertificatesRepository } from './certificates.repository';

/** Reminders before a certificate's end date (queued at issue, 60 and 14 days ahead). */
@Injectable()
export class CertificateRemindersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly mail: MailService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  /** Sends an expiry reminder unless the certificate was revoked, suspended, renewed or has expired. */
  async remindExpiry(certificateId: string, daysBefore: number): Promise<void> {
    const c = await this.certificates.findById(certificateId);
    if (!c || effectiveCertificateStatus(c.status, c.expiresAt, new Date()) !== 'active' || (await this.certificates.renewed(c))) return;
    const holder = await this.certificates.holder(c.userId);
    if (!holder) return;
    await this.mail.send({
      dedupeKey: `certificate-expiry:${c.id}:${daysBefore}`,
      template: 'certificate-expiry',
      to: holder.email,
      subject: `Your ${c.credential} certificate expires on ${c.expiresAt.toISOString().slice(0, 10)}`,
      text: [
        `Hello ${c.holderName},`,
        '',
        `Your certificate ${c.number} (${this.programme.credential(c.credential).name}) expires in about ${daysBefore} days, on ${c.expiresAt.toISOString().slice(0, 10)}.`,
        `Renew it from ${this.config.publicUrl}/candidate.`,
      ].join('\n'),
    });
  }
}
