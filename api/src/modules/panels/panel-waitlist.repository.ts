import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { usersReader } from '../users/users.reader';

/** A candidate's request to be told when a slot opens (one per interview while they wait). */
export interface WaitlistEntry {
  id: string;
  interviewId: string;
  timeZone: string;
  joinedAt: Date;
  notifiedAt: Date | null;
}

/** An entry still waiting for a slot, with whose calendar to check. */
export interface WaitingEntry {
  id: string;
  candidateId: string;
}

export interface WaitlistMail {
  id: string;
  candidateId: string;
  email: string;
  fullName: string;
  timeZone: string;
}

/** A passed candidate who has had no booking for the alert's number of days. */
export interface LongWait {
  interviewId: string;
  candidateId: string;
  fullName: string;
  email: string;
  waitingSince: Date;
  alertedAt: Date | null;
}

const ENTRY_COLUMNS = ['id', 'interviewId', 'timeZone', 'joinedAt', 'notifiedAt'] as const;

@Injectable()
export class PanelWaitlistRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async entry(interviewId: string, tx?: EntityManager): Promise<WaitlistEntry | null> {
    const row = await this.db(tx)
      .selectFrom('panelWaitlist')
      .select(ENTRY_COLUMNS)
      .where('interviewId', '=', interviewId)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Joins, or (already on it) only updates the zone the e-mail will use. */
  async join(tx: EntityManager, interviewId: string, timeZone: string): Promise<void> {
    await this.db(tx)
      .insertInto('panelWaitlist')
      .values({ interviewId, timeZone })
      .onConflict((oc) => oc.column('interviewId').doUpdateSet({ timeZone }))
      .execute();
  }

  /** True when there was an entry to remove. */
  async leave(tx: EntityManager, interviewId: string): Promise<boolean> {
    const rows = await this.db(tx).deleteFrom('panelWaitlist').where('interviewId', '=', interviewId).returning('id').execute();
    return rows.length > 0;
  }

  /** Entries not yet told, whose interview still awaits a booking and whose account is active, not deleted (oldest first). */
  async waiting(limit: number): Promise<WaitingEntry[]> {
    return this.db()
      .selectFrom('panelWaitlist as w')
      .innerJoin('panelInterviews as iv', 'iv.id', 'w.interviewId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'iv.candidateId')
      .select(['w.id', 'iv.candidateId'])
      .where('u.deactivatedAt', 'is', null)
      .where('u.deletedAt', 'is', null)
      .where('w.notifiedAt', 'is', null)
      .where('iv.status', '=', 'awaiting_booking')
      .orderBy('w.joinedAt')
      .limit(limit)
      .execute();
  }

  /** Marks the entry told; false when another check did so first (so only one e-mail is queued). */
  async markNotified(tx: EntityManager, entryId: string): Promise<boolean> {
    const rows = await this.db(tx)
      .updateTable('panelWaitlist')
      .set({ notifiedAt: sql<Date>`now()` })
      .where('id', '=', entryId)
      .where('notifiedAt', 'is', null)
      .returning('id')
      .execute();
    return rows.length > 0;
  }

  async mail(entryId: string): Promise<WaitlistMail | null> {
    const row = await this.db()
      .selectFrom('panelWaitlist as w')
      .innerJoin('panelInterviews as iv', 'iv.id', 'w.interviewId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'iv.candidateId')
      .select(['w.id', 'iv.candidateId', 'u.email', 'u.fullName', 'w.timeZone'])
      .where('w.id', '=', entryId)
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Interviews awaiting a booking since before `since`: since the stage opened, or since their last booking
   * was cancelled. Only candidates whose account is active (a deleted account is gone for good: nobody waits).
   */
  async longWaits(since: Date, limit: number): Promise<LongWait[]> {
    const db = this.db();
    const { rows } = await sql<LongWait>`
      SELECT iv.id AS interview_id, iv.candidate_id, u.full_name, u.email, iv.wait_alerted_at AS alerted_at,
             greatest(iv.created_at, (SELECT max(b.updated_at) FROM panel_bookings b WHERE b.interview_id = iv.id)) AS waiting_since
      FROM panel_interviews iv JOIN ${usersReader.people(db)} u ON u.id = iv.candidate_id AND u.deactivated_at IS NULL AND u.deleted_at IS NULL
      WHERE iv.status = 'awaiting_booking'
        AND greatest(iv.created_at, (SELECT max(b.updated_at) FROM panel_bookings b WHERE b.interview_id = iv.id)) < ${since}
      ORDER BY waiting_since LIMIT ${limit}`.execute(db);
    return rows;
  }

  /** Records the alert; false when it was recorded already. */
  async markAlerted(tx: EntityManager, interviewId: string): Promise<boolean> {
    const rows = await this.db(tx)
      .updateTable('panelInterviews')
      .set({ waitAlertedAt: sql<Date>`now()` })
      .where('id', '=', interviewId)
      .where('waitAlertedAt', 'is', null)
      .returning('id')
      .execute();
    return rows.length > 0;
  }
}
