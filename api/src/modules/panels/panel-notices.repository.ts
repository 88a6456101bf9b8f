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
