import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName, QueueName } from '../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../infrastructure/queue/job-payloads';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { MailService } from '../notifications/mail.service';
import { buildIcs, IcsMethod } from './ics';
import { type Booking, BookingsRepository, type PanelMember } from './bookings.repository';
import { PanelNoticesRepository } from './panel-notices.repository';
import { type Person, PanelsRepository } from './panels.repository';

export const REMINDER_HOURS_BEFORE = [48, 1];

/** A readable local time for a recipient: "Thursday 3 December 2026, 15:00–16:30 (Europe/Berlin)". */
export function localTimeRange(start: Date, end: Date, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(start);
  const time = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  return `${day}, ${time(start)}–${time(end)} (${timeZone})`;
}

/**
 * Invitations (.ics) and reminders around a booking. Everything is written inside the caller's
 * transaction (rows + outbox), so a booking change and its notices commit or roll back together.
 */
@Injectable()
export class PanelNoticesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly panels: PanelsRepository,
    private readonly bookings: BookingsRepository,
    private readonly notices: PanelNoticesRepository,
    private readonly mail: MailService,
    private readonly queues: QueueRegistry,
  ) {}

  uid(bookingId: string): string {
    return `${bookingId}@${new URL(this.config.publicUrl).hostname}`;
  }

  meetingUrl(bookingId: string): string {
    return this.config.panelMeetingUrlTemplate.replace(/\{bookingId\}/g, bookingId);
  }

  /**
   * The candidate's copy lists only the candidate (assessors' identities stay off candidate-facing
   * artefacts); an assessor's copy lists the whole panel and the candidate.
   */
  ics(
    method: IcsMethod,
    booking: Booking,
    candidate: Pick<Person, 'fullName' | 'email'>,
    members: PanelMember[],
    forCandidate: boolean,
  ): string {
    const attendees = forCandidate
      ? [{ name: candidate.fullName, email: candidate.email, role: 'REQ-PARTICIPANT' as const }]
      : [
          ...members.map((m) => ({
            name: m.fullName,
            email: m.email,
            role: m.isChair ? ('CHAIR' as const) : ('REQ-PARTICIPANT' as const),
          })),
          { name: candidate.fullName, email: candidate.email, role: 'REQ-PARTICIPANT' as const },
        ];
    const page = forCandidate
      ? `${this.config.publicUrl}/candidate/cpaa/interview`
      : `${this.config.publicUrl}/reviewer/panels/${booking.id}`;
    return buildIcs({
      method,
      uid: this.uid(booking.id),
      sequence: booking.sequence,
      start: new Date(booking.startsAt),
      end: new Date(booking.endsAt),
      stamp: new Date(),
      summary: forCandidate ? 'CPAA panel interview' : `CPAA panel interview: ${candidate.fullName}`,
      description: [
        forCandidate
          ? 'Your structured CPAA panel interview with three PSF assessors (90 minutes).'
          : "CPAA structured panel interview. The candidate's portfolio, the interview guide and the scoring form are on the panel page.",
        `Join: ${booking.meetingUrl}`,
        `Details${forCandidate ? ', rescheduling and cancelling' : ''}: ${page}`,
      ].join('\n'),
      meetingUrl: booking.meetingUrl,
      organizer: { name: this.config.issuerName, email: this.organizerEmail() },
      attendees,
    });
  }

  private organizerEmail(): string {
    return /<([^>]+)>/.exec(this.config.mailFrom)?.[1] ?? this.config.mailFrom;
  }

  /** One invitation per recipient, snapshotted now so a later change cannot alter what this one says. */
  async invite(
    tx: EntityManager,
    bookingId: string,
    method: IcsMethod,
    recipients: { candidate: boolean; assessorIds: string[] },
    membersForIcs?: PanelMember[],
  ) {
    const booking = (await this.bookings.booking(bookingId, tx))!;
    const interview = (await this.panels.interview(booking.interviewId, tx))!;
    const candidate = (await this.panels.person(interview.candidateId, tx))!;
    const members = membersForIcs ?? (await this.bookings.members(bookingId, tx));
    const targets = [
      ...(recipients.candidate ? [{ id: candidate.id, forCandidate: true }] : []),
      ...recipients.assessorIds.map((id) => ({ id, forCandidate: false })),
    ];
    for (const t of targets) {
      const invitationId = await this.notices.insertInvitation(tx, {
        bookingId,
        recipientId: t.id,
        method,
        sequence: booking.sequence,
        ics: this.ics(method, booking, candidate, members, t.forCandidate),
      });
      await this.outbox.enqueue(tx, JobName.SendPanelInvitation, { invitationId });
    }
  }

  /** Reminder jobs 48 h and 1 h before, one per recipient, each delayed through the outbox. */
  async scheduleReminders(tx: EntityManager, booking: Booking, recipientIds: string[]) {
    for (const recipientId of recipientIds) {
      for (const hours of REMINDER_HOURS_BEFORE) {
        const runAt = new Date(new Date(booking.startsAt).getTime() - hours * 3_600_000);
        if (runAt.getTime() <= Date.now()) continue;
        const reminderId = randomUUID();
        const outboxId = await this.outbox.enqueue(tx, JobName.PanelReminder, { reminderId }, { runAt });
        await this.notices.insertReminder(tx, { id: reminderId, bookingId: booking.id, recipientId, hoursBefore: hours, runAt, outboxId });
      }
    }
  }

  /**
   * Cancels scheduled reminders (all, or some recipients'): unpublished outbox rows are deleted in
   * this transaction; jobs already delayed in BullMQ are removed by a follow-up job.
   */
  async cancelReminders(tx: EntityManager, bookingId: string, recipientIds?: string[]) {
    const outboxIds = await this.notices.cancelReminders(tx, bookingId, recipientIds);
    if (!outboxIds.length) return;
    await this.outbox.cancelUnpublished(tx, outboxIds);
    await this.outbox.enqueue(tx, JobName.RemovePanelReminders, { bookingId });
  }

  // ---- job work (worker) ----

  async sendInvitation(invitationId: string): Promise<void> {
    const inv = await this.notices.invitationMail(invitationId);
    if (!inv) return;
    const when = localTimeRange(inv.startsAt, inv.endsAt, inv.timeZone);
    const cancelled = inv.method === 'CANCEL';
    await this.mail.send({
      dedupeKey: `panel-invitation:${inv.id}`,
      template: cancelled ? 'panel-cancellation' : 'panel-invitation',
      to: inv.email,
      subject: cancelled ? 'Cancelled: CPAA panel interview' : `Invitation: CPAA panel interview, ${when}`,
      text: [
        `Dear ${inv.fullName},`,
        '',
        cancelled
          ? `The CPAA panel interview on ${when} is cancelled for you. The attached calendar file removes it from your calendar.`
          : `${inv.isCandidate ? 'Your' : 'You are on the panel for a'} CPAA panel interview: ${when}.\nJoin: ${inv.meetingUrl}\nThe attached calendar file adds or updates it in your calendar.`,
        '',
        inv.isCandidate
          ? `Details: ${this.config.publicUrl}/candidate/cpaa/interview`
          : `Panel page: ${this.config.publicUrl}/reviewer/panels/${inv.bookingId}`,
      ].join('\n'),
      attachments: [
        {
          filename: cancelled ? 'cancel.ics' : 'invite.ics',
          contentType: `text/calendar; method=${inv.method}; charset=utf-8`,
          content: inv.ics,
        },
      ],
    });
    await this.notices.markInvitationSent(invitationId);
  }

  async sendReminder(reminderId: string): Promise<void> {
    const r = await this.notices.reminderMail(reminderId);
    // A moved or cancelled booking cancels its reminders; one that slipped through does nothing.
    if (!r || r.status !== 'scheduled' || r.bookingStatus !== 'booked') return;
    const when = localTimeRange(r.startsAt, r.endsAt, r.timeZone);
    await this.mail.send({
      dedupeKey: `panel-reminder:${r.id}`,
      template: 'panel-reminder',
      to: r.email,
      subject: `Reminder: CPAA panel interview in ${r.hoursBefore === 1 ? '1 hour' : `${r.hoursBefore} hours`}`,
      text: [
        `Dear ${r.fullName},`,
        '',
        `${r.isCandidate ? 'Your' : "Your panel's"} CPAA panel interview starts ${when}.`,
        `Join: ${r.meetingUrl}`,
      ].join('\n'),
    });
    await this.notices.markReminderSent(reminderId);
  }

  /** Removes the delayed BullMQ jobs of cancelled reminders (jobId = outbox id). */
  async removeCancelledReminders(bookingId: string): Promise<number> {
    const rows = await this.notices.cancelledReminders(bookingId);
    const queue = this.queues.get(QueueName.Panels);
    for (const r of rows) {
      const job = await queue.getJob(r.outboxId);
      if (job && (await job.getState()) !== 'active') await job.remove();
      // Owed no more: without this the reconciler would take the removed job for one Redis lost.
      await this.outbox.settleWithdrawn([r.outboxId]);
      await this.notices.markReminderRemoved(r.id);
    }
    return rows.length;
  }

  async notifyCandidate(interviewId: string, reason: JobPayloads[JobName.NotifyPanelCandidate]['reason']): Promise<void> {
    const row = await this.notices.candidateNotice(interviewId);
    if (!row) return;
    const page = `${this.config.publicUrl}/candidate/cpaa/interview`;
    const message = {
      book: [
        'Your CPAA portfolio has passed review. The last step is a structured panel interview with three assessors.',
        `Choose a time that suits you: ${page}`,
      ],
      rebook: [
        'Your CPAA panel interview could not go ahead as booked because the panel is no longer complete. We are sorry for the inconvenience; this does not count as one of your changes.',
        `Please choose a new time: ${page}`,
      ],
      decided: [`The panel has recorded its decision on your CPAA interview: ${row.outcome ?? 'see the platform'}.`, `Details: ${page}`],
    }[reason];
    const bookings = await this.notices.bookingCount(interviewId);
    await this.mail.send({
      dedupeKey: `panel-candidate:${interviewId}:${reason}:${bookings}`,
      template: `panel-${reason}`,
      to: row.email,
      subject: {
        book: 'Book your CPAA panel interview',
        rebook: 'Please rebook your CPAA panel interview',
        decided: 'Your CPAA panel decision',
      }[reason],
      text: [`Dear ${row.fullName},`, '', ...message].join('\n'),
    });
  }
}
