import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { usersReader } from '../users/users.reader';
import type { IcsMethod } from './ics';

export interface NewInvitation {
  bookingId: string;
  recipientId: string;
  method: IcsMethod;
  sequence: number;
  ics: string;
}

export interface NewReminder {
  id: string;
  bookingId: string;
  recipientId: string;
  hoursBefore: number;
  runAt: Date;
  outboxId: string;
}

/** What the invitation mail needs: the snapshotted .ics, the recipient, and the time in their zone. */
export interface InvitationMail {
  id: string;
  method: string;
  ics: string;
  bookingId: string;
  recipientId: string;
  email: string;
  fullName: string;
  startsAt: Date;
  endsAt: Date;
  meetingUrl: string;
  timeZone: string;
  isCandidate: boolean;
}

export interface ReminderMail {
  id: string;
  status: string;
  hoursBefore: number;
  bookingId: string;
  bookingStatus: string;
  startsAt: Date;
  endsAt: Date;
  meetingUrl: string;
  email: string;
  fullName: string;
  timeZone: string;
  isCandidate: boolean;
}

/**
 * A reminder a booked panel owes one of its people (the candidate or an active member), due at `runAt`;
 * `reminderId` is its scheduled panel_reminders row, null when there is none.
 */
export interface OwedReminder {
  bookingId: string;
  /** The booking's version when this was derived (every change to its time or panel counts it up). */
  sequence: number;
  recipientId: string;
  hoursBefore: number;
  runAt: Date;
  reminderId: string | null;
}

export interface CancelledReminder {
  id: string;
  outboxId: string;
}

export interface CandidateNotice {
  id: string;
  status: string;
  email: string;
  fullName: string;
  outcome: string | null;
}

/** Invitations and reminders around bookings, and what their mails read. */
@Injectable()
export class PanelNoticesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  // ---- invitations ----

  async insertInvitation(tx: EntityManager, i: NewInvitation): Promise<string> {
    const row = await this.db(tx).insertInto('panelInvitations').values(i).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async invitationMail(invitationId: string): Promise<InvitationMail | null> {
    const row = await this.db()
      .selectFrom('panelInvitations as i')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'i.recipientId')
      .innerJoin('panelBookings as b', 'b.id', 'i.bookingId')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .leftJoin('assessorProfiles as p', (join) =>
        join.onRef('p.userId', '=', 'i.recipientId').onRef('iv.candidateId', '<>', 'i.recipientId'),
      )
      .select((eb) => [
        'i.id',
        'i.method',
        'i.ics',
        'i.bookingId',
        'i.recipientId',
        'u.email',
        'u.fullName',
        'b.startsAt',
        'b.endsAt',
        'b.meetingUrl',
        eb.fn.coalesce('p.timeZone', 'iv.timeZone').as('timeZone'),
        eb('iv.candidateId', '=', eb.ref('i.recipientId')).$castTo<boolean>().as('isCandidate'),
      ])
      .where('i.id', '=', invitationId)
      .executeTakeFirst();
    return row ?? null;
  }

  async markInvitationSent(invitationId: string): Promise<void> {
    await this.db()
      .updateTable('panelInvitations')
      .set((eb) => ({ sentAt: eb.fn.coalesce('sentAt', sql<Date>`now()`) }))
      .where('id', '=', invitationId)
      .execute();
  }

  // ---- reminders ----

  async insertReminder(tx: EntityManager, r: NewReminder): Promise<void> {
    await this.db(tx).insertInto('panelReminders').values(r).execute();
  }

  /** Cancels scheduled reminders (all, or some recipients') and returns their outbox ids. */
  async cancelReminders(tx: EntityManager, bookingId: string, recipientIds?: string[]): Promise<string[]> {
    if (recipientIds && !recipientIds.length) return [];
    let query = this.db(tx)
      .updateTable('panelReminders')
      .set({ status: 'cancelled' })
      .where('bookingId', '=', bookingId)
      .where('status', '=', 'scheduled');
    if (recipientIds) query = query.where('recipientId', 'in', recipientIds);
    const rows = await query.returning('outboxId').execute();
    return rows.map((r) => r.outboxId);
  }

  async reminderMail(reminderId: string): Promise<ReminderMail | null> {
    const row = await this.db()
      .selectFrom('panelReminders as r')
      .innerJoin('panelBookings as b', 'b.id', 'r.bookingId')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'r.recipientId')
      .leftJoin('assessorProfiles as p', (join) =>
        join.onRef('p.userId', '=', 'r.recipientId').onRef('iv.candidateId', '<>', 'r.recipientId'),
      )
      .select((eb) => [
        'r.id',
        'r.status',
        'r.hoursBefore',
        'r.bookingId',
        'b.status as bookingStatus',
        'b.startsAt',
        'b.endsAt',
        'b.meetingUrl',
        'u.email',
        'u.fullName',
        eb.fn.coalesce('p.timeZone', 'iv.timeZone').as('timeZone'),
        eb('iv.candidateId', '=', eb.ref('r.recipientId')).$castTo<boolean>().as('isCandidate'),
      ])
      .where('r.id', '=', reminderId)
      .executeTakeFirst();
    return row ?? null;
  }

  async markReminderSent(reminderId: string): Promise<void> {
    await this.db()
      .updateTable('panelReminders')
      .set({ status: 'sent' })
      .where('id', '=', reminderId)
      .where('status', '=', 'scheduled')
      .execute();
  }

  /**
   * The reminders booked panels changed before `changedBefore` owe with a run time in (from, to], less those
   * already sent: each with its scheduled row, or none. A row counts only for the booking's current time (a
   * reschedule cancels the rows of the old one).
   */
  async owedReminders(hoursBefore: number[], from: Date, to: Date, changedBefore: Date, limit: number): Promise<OwedReminder[]> {
    const db = this.db();
    const { rows } = await sql<OwedReminder>`
      WITH booked AS (
        SELECT b.id, b.starts_at, b.sequence, b.interview_id FROM panel_bookings b
        WHERE b.status = 'booked' AND b.updated_at < ${changedBefore} AND b.starts_at > ${from}
      ), people AS (
        SELECT b.id AS booking_id, b.starts_at, b.sequence, iv.candidate_id AS recipient_id
        FROM booked b JOIN panel_interviews iv ON iv.id = b.interview_id
        UNION ALL
        SELECT b.id, b.starts_at, b.sequence, mb.assessor_id FROM booked b JOIN panel_members mb ON mb.booking_id = b.id AND mb.active
      ), owed AS (
        SELECT p.booking_id, p.sequence, p.recipient_id, h.hours AS hours_before, p.starts_at - make_interval(hours => h.hours) AS run_at
        FROM people p CROSS JOIN unnest(${hoursBefore}::int[]) AS h(hours)
      )
      SELECT o.booking_id, o.sequence, o.recipient_id, o.hours_before, o.run_at, r.id AS reminder_id
      FROM owed o LEFT JOIN panel_reminders r
        ON r.booking_id = o.booking_id AND r.recipient_id = o.recipient_id AND r.hours_before = o.hours_before
       AND r.run_at = o.run_at AND r.status IN ('scheduled', 'sent')
      WHERE o.run_at > ${from} AND o.run_at <= ${to} AND (r.id IS NULL OR r.status = 'scheduled')
      ORDER BY o.run_at LIMIT ${limit}`.execute(db);
    return rows;
  }

  /** Points a scheduled reminder at the outbox row that now carries its job (so cancelling it cancels that one). */
  async setReminderOutbox(tx: EntityManager, reminderId: string, outboxId: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelReminders')
      .set({ outboxId })
      .where('id', '=', reminderId)
      .where('status', '=', 'scheduled')
      .execute();
  }

  async cancelledReminders(bookingId: string): Promise<CancelledReminder[]> {
    return this.db()
      .selectFrom('panelReminders')
      .select(['id', 'outboxId'])
      .where('bookingId', '=', bookingId)
      .where('status', '=', 'cancelled')
      .execute();
  }

  async markReminderRemoved(reminderId: string): Promise<void> {
    await this.db()
      .updateTable('panelReminders')
      .set({ status: 'removed' })
      .where('id', '=', reminderId)
      .where('status', '=', 'cancelled')
      .execute();
  }

  // ---- candidate notices ----

  async candidateNotice(interviewId: string): Promise<CandidateNotice | null> {
    const row = await this.db()
      .selectFrom('panelInterviews as iv')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'iv.candidateId')
      .leftJoin('panelDecisions as d', 'd.interviewId', 'iv.id')
      .select(['iv.id', 'iv.status', 'u.email', 'u.fullName', 'd.outcome'])
      .where('iv.id', '=', interviewId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** How many bookings the interview has had (it tells one rebooking notice from the next). */
  async bookingCount(interviewId: string): Promise<number> {
    const row = await this.db()
      .selectFrom('panelBookings')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('interviewId', '=', interviewId)
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
