import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AdminRecipientsRepository } from '../notifications/admin-recipients.repository';
import { MailService } from '../notifications/mail.service';
import { LongWaitListDto } from './dto/panel.dto';
import { type LongWait, PanelWaitlistRepository } from './panel-waitlist.repository';

/** Long waits looked at per pass (oldest first); the rest wait for the next hour. */
const BATCH = 200;
const DAY_MS = 86_400_000;
const daysSince = (since: Date) => Math.floor((Date.now() - since.getTime()) / DAY_MS);

/**
 * Passed CPAA candidates who have had no booking for PANEL_WAIT_ALERT_DAYS: listed on the admin panels page,
 * and e-mailed to every active administrator once per interview by the hourly AlertPanelWaits job. The mails go
 * first (deduplicated per administrator) and the alert is recorded after them, so a pass cut short by a crash is
 * finished by the next one without anyone getting a second copy.
 */
@Injectable()
export class PanelWaitAlertsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly waitlist: PanelWaitlistRepository,
    private readonly admins: AdminRecipientsRepository,
    private readonly mailer: MailService,
  ) {}

  private threshold(now: number): Date {
    return new Date(now - this.config.panelWaitAlertDays * DAY_MS);
  }

  longWaits(): Promise<LongWait[]> {
    return this.waitlist.longWaits(this.threshold(Date.now()), BATCH);
  }

  /** The admin panels page's list: every candidate waiting longer than the alert's number of days. */
  async list(): Promise<LongWaitListDto> {
    const waits = await this.longWaits();
    return {
      alertDays: this.config.panelWaitAlertDays,
      waits: waits.map((w) => ({
        interviewId: w.interviewId,
        candidateName: w.fullName,
        waitingSince: w.waitingSince.toISOString(),
        days: daysSince(w.waitingSince),
        alertedAt: w.alertedAt?.toISOString() ?? null,
      })),
    };
  }

  /** Returns how many interviews were alerted in this pass. */
  async alert(): Promise<number> {
    const due = (await this.longWaits()).filter((w) => !w.alertedAt);
    if (!due.length) return 0;
    const admins = await this.admins.activeAdmins();
    for (const wait of due) {
      for (const admin of admins) await this.mail(wait, admin);
      await this.dataSource.transaction((tx) => this.waitlist.markAlerted(tx, wait.interviewId));
    }
    return due.length;
  }

  private async mail(wait: LongWait, admin: { id: string; email: string; fullName: string }): Promise<void> {
    const days = daysSince(wait.waitingSince);
    await this.mailer.send({
      dedupeKey: `panel-wait-alert:${wait.interviewId}:${admin.id}`,
      template: 'panel-wait-alert',
      to: admin.email,
      subject: `CPAA candidate without a panel booking for ${days} days`,
      text: [
        `Dear ${admin.fullName},`,
        '',
        `${wait.fullName} passed the CPAA portfolio review and has had no panel interview booked for ${days} days ` +
          `(since ${wait.waitingSince.toISOString().slice(0, 10)}). No full panel may be free for them: please add assessors ` +
          'or ask assessors for more hours.',
        `CPAA panels: ${this.config.publicUrl}/admin/panels`,
      ].join('\n'),
    });
  }
}
