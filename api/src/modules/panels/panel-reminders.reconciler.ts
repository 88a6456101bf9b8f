import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { BookingsRepository } from './bookings.repository';
import { type OwedReminder, PanelNoticesRepository } from './panel-notices.repository';
import { REMINDER_HOURS_BEFORE } from './panel-notices.service';

/** Reminders looked at per reconciliation pass; the rest wait for the next one. */
const BATCH = 500;
/**
 * A reminder is checked once its time is this close: each check scans the open rows of the job (one per
 * reminder ahead), so the window keeps a pass to about a day's reminders, still well before any is due.
 */
const LOOKAHEAD_MS = 86_400_000;

/**
 * Every booked panel reminds its candidate and active members 48 h and 1 h before (PanelNoticesService.scheduleReminders,
 * with every booking change). A scheduled reminder whose job is gone (deleted, or completed without running: a row
 * for a time still ahead completes only by running then) is queued again for the same time and its row pointed at
 * the new job; a reminder with no row at all is scheduled as scheduleReminders does. Each is re-checked under the
 * booking lock every booking change takes, so a reschedule or a replacement committed meanwhile wins.
 */
@Injectable()
@Reconciler()
export class PanelRemindersReconciler implements ReconcilerInstance {
  readonly name = 'panels.reminders';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly bookings: BookingsRepository,
    private readonly notices: PanelNoticesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const changedBefore = new Date(now.getTime() - this.config.reconcile.graceMs);
    const owed = await this.notices.owedReminders(REMINDER_HOURS_BEFORE, now, new Date(now.getTime() + LOOKAHEAD_MS), changedBefore, BATCH);
    let requeued = 0;
    for (const reminder of owed) {
      if (await this.requeue(reminder)) requeued += 1;
    }
    return requeued;
  }

  private requeue(r: OwedReminder): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (r.reminderId && (await this.outbox.hasOpen(tx, JobName.PanelReminder, { reminderId: r.reminderId }))) return false;
      if (!(await this.stillBooked(tx, r))) return false;
      const reminderId = r.reminderId ?? randomUUID();
      const outboxId = await this.outbox.enqueue(tx, JobName.PanelReminder, { reminderId }, { runAt: r.runAt });
      if (r.reminderId) {
        await this.notices.setReminderOutbox(tx, reminderId, outboxId);
      } else {
        const { bookingId, recipientId, hoursBefore, runAt } = r;
        await this.notices.insertReminder(tx, { id: reminderId, bookingId, recipientId, hoursBefore, runAt, outboxId });
      }
      return true;
    });
  }

  /** Under the booking lock: the booking is still booked, with the time and panel the reminder was derived from. */
  private async stillBooked(tx: EntityManager, r: OwedReminder): Promise<boolean> {
    await this.bookings.lock(tx);
    const booking = await this.bookings.booking(r.bookingId, tx, true);
    return booking?.status === 'booked' && booking.sequence === r.sequence;
  }
}
