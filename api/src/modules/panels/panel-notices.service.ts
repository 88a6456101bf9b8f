import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName, QueueName } from '../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../infrastructure/queue/job-payloads';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { MailService } from '../notifications/mail.service';
import { buildIcs, IcsMethod } from './ics';
import { BookingRow, MemberRow, PanelsRepository } from './panels.repository';

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
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly repo: PanelsRepository,
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
    booking: BookingRow,
    candidate: { full_name: string; email: string },
    members: MemberRow[],
    forCandidate: boolean,
  ): string {
    const attendees = forCandidate
      ? [{ name: candidate.full_name, email: candidate.email, role: 'REQ-PARTICIPANT' as const }]
      : [
          ...members.map((m) => ({
            name: m.full_name,
            email: m.email,
            role: m.is_chair ? ('CHAIR' as const) : ('REQ-PARTICIPANT' as const),
          })),
          { name: candidate.full_name, email: candidate.email, role: 'REQ-PARTICIPANT' as const },
        ];
    const page = forCandidate
      ? `${this.config.publicUrl}/candidate/cpaa/interview`
      : `${this.config.publicUrl}/reviewer/panels/${booking.id}`;
    return buildIcs({
      method,
      uid: this.uid(booking.id),
      sequence: booking.sequence,
      start: new Date(booking.starts_at),
      end: new Date(booking.ends_at),
      stamp: new Date(),
      summary: forCandidate ? 'CPAA panel interview' : `CPAA panel interview: ${candidate.full_name}`,
      description: [
        forCandidate
          ? 'Your structured CPAA panel interview with three PSF assessors (90 minutes).'
          : "CPAA structured panel interview. The candidate's portfolio, the interview guide and the scoring form are on the panel page.",
        `Join: ${booking.meeting_url}`,
        `Details${forCandidate ? ', rescheduling and cancelling' : ''}: ${page}`,
      ].join('\n'),
      meetingUrl: booking.meeting_url,
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
    membersForIcs?: MemberRow[],
  ) {
    const booking = (await this.repo.booking(tx, bookingId))!;
    const interview = (await this.repo.interview(tx, booking.interview_id))!;
    const candidate = await this.repo.person(tx, interview.candidate_id);
    const members = membersForIcs ?? (await this.repo.members(tx, bookingId));
    const targets = [
      ...(recipients.candidate ? [{ id: candidate.id, forCandidate: true }] : []),
      ...recipients.assessorIds.map((id) => ({ id, forCandidate: false })),
    ];
    for (const t of targets) {
      const [row] = await tx.query(
        `INSERT INTO panel_invitations (booking_id, recipient_id, method, sequence, ics) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [bookingId, t.id, method, booking.sequence, this.ics(method, booking, candidate, members, t.forCandidate)],
      );
      await this.outbox.enqueue(tx, JobName.SendPanelInvitation, { invitationId: row.id });
    }
  }

  /** Reminder jobs 48 h and 1 h before, one per recipient, each delayed through the outbox. */
  async scheduleReminders(tx: EntityManager, booking: BookingRow, recipientIds: string[]) {
    for (const recipientId of recipientIds) {
      for (const hours of REMINDER_HOURS_BEFORE) {
        const runAt = new Date(new Date(booking.starts_at).getTime() - hours * 3_600_000);
        if (runAt.getTime() <= Date.now()) continue;
        const reminderId = randomUUID();
        const outboxId = await this.outbox.enqueue(tx, JobName.PanelReminder, { reminderId }, { runAt });
        await tx.query(
          `INSERT INTO panel_reminders (id, booking_id, recipient_id, hours_before, run_at, outbox_id) VALUES ($1, $2, $3, $4, $5, $6)`,
          [reminderId, booking.id, recipientId, hours, runAt, outboxId],
        );
      }
    }
  }

  /**
   * Cancels scheduled reminders (all, or some recipients'): unpublished outbox rows are deleted in
   * this transaction; jobs already delayed in BullMQ are removed by a follow-up job.
   */
  async cancelReminders(tx: EntityManager, bookingId: string, recipientIds?: string[]) {
    const [cancelled] = await tx.query(
      `UPDATE panel_reminders SET status = 'cancelled'
       WHERE booking_id = $1 AND status = 'scheduled' AND ($2::uuid[] IS NULL OR recipient_id = ANY($2::uuid[])) RETURNING outbox_id`,
      [bookingId, recipientIds ?? null],
    );
    const outboxIds = (cancelled as Array<{ outbox_id: string }>).map((r) => r.outbox_id);
    if (!outboxIds.length) return;
    await this.outbox.cancelUnpublished(tx, outboxIds);
    await this.outbox.enqueue(tx, JobName.RemovePanelReminders, { bookingId });
  }

  // ---- job work (worker) ----

  async sendInvitation(invitationId: string): Promise<void> {
    const [inv] = await this.dataSource.query(
      `SELECT i.id, i.method, i.ics, i.booking_id, i.recipient_id, u.email, u.full_name, b.starts_at, b.ends_at, b.meeting_url,
              coalesce(p.time_zone, iv.time_zone) AS time_zone, (iv.candidate_id = i.recipient_id) AS is_candidate
       FROM panel_invitations i JOIN users u ON u.id = i.recipient_id JOIN panel_bookings b ON b.id = i.booking_id
       JOIN panel_interviews iv ON iv.id = b.interview_id LEFT JOIN assessor_profiles p ON p.user_id = i.recipient_id AND iv.candidate_id <> i.recipient_id
       WHERE i.id = $1`,
      [invitationId],
    );
    if (!inv) return;
    const when = localTimeRange(inv.starts_at, inv.ends_at, inv.time_zone);
    const cancelled = inv.method === 'CANCEL';
    await this.mail.send({
      dedupeKey: `panel-invitation:${inv.id}`,
      template: cancelled ? 'panel-cancellation' : 'panel-invitation',
      to: inv.email,
      subject: cancelled ? 'Cancelled: CPAA panel interview' : `Invitation: CPAA panel interview, ${when}`,
      text: [
        `Dear ${inv.full_name},`,
        '',
        cancelled
          ? `The CPAA panel interview on ${when} is cancelled for you. The attached calendar file removes it from your calendar.`
          : `${inv.is_candidate ? 'Your' : 'You are on the panel for a'} CPAA panel interview: ${when}.\nJoin: ${inv.meeting_url}\nThe attached calendar file adds or updates it in your calendar.`,
        '',
        inv.is_candidate
          ? `Details: ${this.config.publicUrl}/candidate/cpaa/interview`
          : `Panel page: ${this.config.publicUrl}/reviewer/panels/${inv.booking_id}`,
      ].join('\n'),
      attachments: [
        {
          filename: cancelled ? 'cancel.ics' : 'invite.ics',
          contentType: `text/calendar; method=${inv.method}; charset=utf-8`,
          content: inv.ics,
        },
      ],
    });
    await this.dataSource.query(`UPDATE panel_invitations SET sent_at = coalesce(sent_at, now()) WHERE id = $1`, [invitationId]);
  }

  async sendReminder(reminderId: string): Promise<void> {
    const [r] = await this.dataSource.query(
      `SELECT r.id, r.status, r.hours_before, r.booking_id, b.status AS booking_status, b.starts_at, b.ends_at, b.meeting_url,
              u.email, u.full_name, coalesce(p.time_zone, iv.time_zone) AS time_zone, (iv.candidate_id = r.recipient_id) AS is_candidate
       FROM panel_reminders r JOIN panel_bookings b ON b.id = r.booking_id JOIN panel_interviews iv ON iv.id = b.interview_id
       JOIN users u ON u.id = r.recipient_id LEFT JOIN assessor_profiles p ON p.user_id = r.recipient_id AND iv.candidate_id <> r.recipient_id
       WHERE r.id = $1`,
      [reminderId],
    );
    // A moved or cancelled booking cancels its reminders; one that slipped through does nothing.
    if (!r || r.status !== 'scheduled' || r.booking_status !== 'booked') return;
    const when = localTimeRange(r.starts_at, r.ends_at, r.time_zone);
    await this.mail.send({
      dedupeKey: `panel-reminder:${r.id}`,
      template: 'panel-reminder',
      to: r.email,
      subject: `Reminder: CPAA panel interview in ${r.hours_before === 1 ? '1 hour' : `${r.hours_before} hours`}`,
      text: [
        `Dear ${r.full_name},`,
        '',
        `${r.is_candidate ? 'Your' : "Your panel's"} CPAA panel interview starts ${when}.`,
        `Join: ${r.meeting_url}`,
      ].join('\n'),
    });
    await this.dataSource.query(`UPDATE panel_reminders SET status = 'sent' WHERE id = $1 AND status = 'scheduled'`, [reminderId]);
  }

  /** Removes the delayed BullMQ jobs of cancelled reminders (jobId = outbox id). */
  async removeCancelledReminders(bookingId: string): Promise<number> {
    const rows: Array<{ id: string; outbox_id: string }> = await this.dataSource.query(
      `SELECT id, outbox_id FROM panel_reminders WHERE booking_id = $1 AND status = 'cancelled'`,
      [bookingId],
    );
    const queue = this.queues.get(QueueName.Panels);
    for (const r of rows) {
      const job = await queue.getJob(r.outbox_id);
      if (job && (await job.getState()) !== 'active') await job.remove();
      await this.dataSource.query(`UPDATE panel_reminders SET status = 'removed' WHERE id = $1 AND status = 'cancelled'`, [r.id]);
    }
    return rows.length;
  }

  async notifyCandidate(interviewId: string, reason: JobPayloads[JobName.NotifyPanelCandidate]['reason']): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT iv.id, iv.status, u.email, u.full_name, d.outcome FROM panel_interviews iv JOIN users u ON u.id = iv.candidate_id
       LEFT JOIN panel_decisions d ON d.interview_id = iv.id WHERE iv.id = $1`,
      [interviewId],
    );
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
    const [count] = await this.dataSource.query(`SELECT count(*)::int AS n FROM panel_bookings WHERE interview_id = $1`, [interviewId]);
    await this.mail.send({
      dedupeKey: `panel-candidate:${interviewId}:${reason}:${count.n}`,
      template: `panel-${reason}`,
      to: row.email,
      subject: {
        book: 'Book your CPAA panel interview',
        rebook: 'Please rebook your CPAA panel interview',
        decided: 'Your CPAA panel decision',
      }[reason],
      text: [`Dear ${row.full_name},`, '', ...message].join('\n'),
    });
  }
}
