import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../notifications/mail.service';
import { AssessorsRepository } from './assessors.repository';
import { PanelWaitlistRepository, type WaitlistEntry } from './panel-waitlist.repository';
import { PanelsRepository, rulesOf } from './panels.repository';
import { computeSlots, type Slot } from './slot-computation';

/** Entries checked per pass; the rest wait for the next availability change or the hourly check. */
const BATCH = 500;

/** "Monday 14 December 2026, 10:00 (Europe/Berlin)" */
function localStart(ms: number, timeZone: string): string {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return `${format.format(ms)} (${timeZone})`;
}

/**
 * The waitlist of candidates who found no free slot: they join and leave it; whenever assessors' availability
 * changes (and hourly, as the booking horizon moves on) the entries still waiting are checked, and each candidate
 * who now has a bookable slot is e-mailed once. Marking an entry told and queueing its e-mail share a transaction
 * (through the outbox), so a worker crash between the two loses neither.
 */
@Injectable()
export class PanelWaitlistService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly panels: PanelsRepository,
    private readonly assessors: AssessorsRepository,
    private readonly waitlist: PanelWaitlistRepository,
    private readonly outbox: OutboxService,
    private readonly mailer: MailService,
    private readonly audit: AuditService,
  ) {}

  entry(interviewId: string): Promise<WaitlistEntry | null> {
    return this.waitlist.entry(interviewId);
  }

  /** The bookable slots this candidate has now (the same computation as their slot list). */
  async slotsFor(candidateId: string, tx?: EntityManager): Promise<Slot[]> {
    const settings = await this.panels.settings(tx);
    return computeSlots(await this.assessors.eligibleCalendars(candidateId, tx), Date.now(), rulesOf(settings));
  }

  /**
   * Only while awaiting a booking with no free slot: with one free, the candidate can simply book it. Joining
   * while on the list only changes the zone; joining after being told (the times were taken since) starts anew.
   */
  async join(user: AuthUser, timeZone: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const interview = await this.panels.interviewOf(user.id, tx, true);
      if (!interview || interview.status !== 'awaiting_booking') throw new NotFoundException('You have no panel interview to book');
      if ((await this.slotsFor(user.id, tx)).length > 0) {
        throw new ConflictException('A time is free now: choose one below instead of waiting');
      }
      const already = await this.waitlist.entry(interview.id, tx);
      // Told once already, and the times have been taken since: a fresh entry, so a fresh e-mail.
      if (already?.notifiedAt) await this.waitlist.leave(tx, interview.id);
      await this.waitlist.join(tx, interview.id, timeZone);
      if (already && !already.notifiedAt) return;
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.waitlist_joined',
        subjectType: 'panel_interview',
        subjectId: interview.id,
        data: { timeZone },
      });
    });
  }

  async leave(user: AuthUser): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const interview = await this.panels.interviewOf(user.id, tx, true);
      if (!interview) throw new NotFoundException('You have no panel interview');
      if (!(await this.waitlist.leave(tx, interview.id))) return;
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'panel.waitlist_left',
        subjectType: 'panel_interview',
        subjectId: interview.id,
        data: {},
      });
    });
  }

  /** Called in the transaction of every change that can free a slot (availability, the assessor pool, a cancellation). */
  async availabilityChanged(tx: EntityManager): Promise<void> {
    await this.outbox.enqueue(tx, JobName.CheckPanelWaitlist, {});
  }

  // ---- job work (worker) ----

  /** Returns how many candidates were told. */
  async check(): Promise<number> {
    let told = 0;
    for (const entry of await this.waitlist.waiting(BATCH)) {
      if ((await this.slotsFor(entry.candidateId)).length === 0) continue;
      const queued = await this.dataSource.transaction(async (tx) => {
        if (!(await this.waitlist.markNotified(tx, entry.id))) return false;
        await this.outbox.enqueue(tx, JobName.NotifyPanelWaitlist, { entryId: entry.id });
        return true;
      });
      if (queued) told += 1;
    }
    return told;
  }

  async notify(entryId: string): Promise<void> {
    const row = await this.waitlist.mail(entryId);
    if (!row) return; // left the waitlist meanwhile
    // The first time free when the mail goes (it may be taken by the time it is read).
    const first = (await this.slotsFor(row.candidateId))[0]?.start ?? null;
    const page = `${this.config.publicUrl}/candidate/cpaa/interview`;
    await this.mailer.send({
      dedupeKey: `panel-waitlist:${entryId}`,
      template: 'panel-slot-open',
      to: row.email,
      subject: 'A CPAA panel interview time is free',
      text: [
        `Dear ${row.fullName},`,
        '',
        'You asked us to tell you when a time for your CPAA panel interview opens. Times are free now' +
          (first ? `, the first on ${localStart(first, row.timeZone)}.` : '.'),
        'Times are booked first come, first served.',
        `Choose one: ${page}`,
      ].join('\n'),
    });
  }
}
