import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { CertificatesRepository } from './certificates.repository';
import { REMINDER_DAYS_BEFORE } from './certificates.service';

const DAY_MS = 86_400_000;
/** Reminders looked at per reconciliation pass (per reminder offset); the rest wait for the next one. */
const BATCH = 500;
/**
 * A reminder is checked once its time is this close. Each check scans the open rows of the job (one per future
 * reminder, years of them), so checking every future reminder on every pass would cost certificates × reminders;
 * the window keeps a pass to about a day's reminders, and still finds a missing one well before it is due.
 */
const REMINDER_LOOKAHEAD_MS = DAY_MS;

/**
 * Every active certificate has its expiry reminders (60 and 14 days before its end date) queued while their time is
 * ahead. Issue and re-issue queue them with the certificate; one whose row was lost (never written, deleted, or
 * completed without running) is queued again with the same run time.
 *
 * "Missing" is "no open row": a reminder's row completes when its job runs, which is at its run time, so for a time
 * still ahead a completed row never ran. Nothing deletes outbox rows today; if a retention sweep ever does, it can
 * only take completed rows, which (by the same argument) never stand for a reminder still ahead. A reminder whose
 * time has passed is not sent late: "expires in about 60 days" would be wrong.
 */
@Injectable()
@Reconciler()
export class CertificateRemindersReconciler implements ReconcilerInstance {
  readonly name = 'certificates.expiry-reminders';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const issuedBefore = new Date(now.getTime() - this.config.reconcile.graceMs);
    let requeued = 0;
    for (const daysBefore of REMINDER_DAYS_BEFORE) {
      // The reminder is due at expiresAt − daysBefore: within (now, now + lookahead] when expiresAt is in this range.
      const from = new Date(now.getTime() + daysBefore * DAY_MS);
      const to = new Date(from.getTime() + REMINDER_LOOKAHEAD_MS);
      for (const c of await this.certificates.activeExpiringBetween(from, to, issuedBefore, BATCH)) {
        const runAt = new Date(c.expiresAt.getTime() - daysBefore * DAY_MS);
        if (await this.requeue(c.id, daysBefore, runAt)) requeued += 1;
      }
    }
    return requeued;
  }

  private requeue(certificateId: string, daysBefore: number, runAt: Date): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (await this.outbox.hasOpen(tx, JobName.CertificateExpiryReminder, { certificateId, daysBefore })) return false;
      await this.outbox.enqueue(tx, JobName.CertificateExpiryReminder, { certificateId, daysBefore }, { runAt });
      return true;
    });
  }
}
