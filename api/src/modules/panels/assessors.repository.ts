import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { reviewsReader } from '../reviews/reviews.reader';
import { usersReader } from '../users/users.reader';
import type { AssessorCalendar, DateOverride, WeeklyWindow } from './slot-computation';

/** An assessor's profile: when they sit, how often, and whether they may chair. */
export interface AssessorProfile {
  userId: string;
  timeZone: string;
  weeklyCap: number;
  weeklyWindows: WeeklyWindow[];
  dateOverrides: DateOverride[];
  isChair: boolean;
  active: boolean;
}

export type AvailabilityChange = Pick<AssessorProfile, 'timeZone' | 'weeklyCap' | 'weeklyWindows' | 'dateOverrides'>;

/** A reviewer as the certification body lists them, assessor or not yet. */
export interface AssessorListing {
  id: string;
  fullName: string;
  email: string;
  assessor: boolean;
  isChair: boolean;
  active: boolean;
  timeZone: string;
  upcoming: number;
}

interface CalendarRow {
  userId: string;
  timeZone: string;
  isChair: boolean;
  weeklyCap: number;
  weeklyWindows: WeeklyWindow[];
  dateOverrides: DateOverride[];
  bookings: Array<{ start: string; end: string }>;
}

/** Assessor profiles: availability, roles and who may sit on a candidate's panel. */
@Injectable()
export class AssessorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async profile(userId: string): Promise<AssessorProfile | null> {
    const row = await this.db()
      .selectFrom('assessorProfiles')
      .select(['userId', 'timeZone', 'weeklyCap', 'weeklyWindows', 'dateOverrides', 'isChair', 'active'])
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      ...row,
      weeklyWindows: row.weeklyWindows as unknown as WeeklyWindow[],
      dateOverrides: row.dateOverrides as unknown as DateOverride[],
    };
  }

  async saveAvailability(tx: EntityManager, userId: string, a: AvailabilityChange): Promise<void> {
    await this.db(tx)
      .updateTable('assessorProfiles')
      .set({
        timeZone: a.timeZone,
        weeklyCap: a.weeklyCap,
        weeklyWindows: JSON.stringify(a.weeklyWindows),
        dateOverrides: JSON.stringify(a.dateOverrides),
        updatedAt: sql<Date>`now()`,
      })
      .where('userId', '=', userId)
      .execute();
  }

  async isReviewer(tx: EntityManager, userId: string): Promise<boolean> {
    const row = await this.db(tx)
      .selectFrom(usersReader.people(this.db(tx)).as('u'))
      .select('u.id')
      .where('u.id', '=', userId)
      .where(sql<boolean>`'reviewer' = ANY(u.roles)`)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** Whether the person holds the reviewer role (assessors are reviewers) and whether the account is deactivated; null if no such account. */
  async standing(userId: string): Promise<{ reviewer: boolean; deactivated: boolean } | null> {
    const row = await this.db()
      .selectFrom(usersReader.people(this.db()).as('u'))
      .select(['u.roles', 'u.deactivatedAt', 'u.deletedAt'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
    // A deleted account is deactivated for good: its holder's booking goes, as a deactivated candidate's does.
    return row ? { reviewer: row.roles.includes('reviewer'), deactivated: row.deactivatedAt !== null || row.deletedAt !== null } : null;
  }

  async upsertRole(tx: EntityManager, userId: string, active: boolean, isChair: boolean): Promise<void> {
    await this.db(tx)
      .insertInto('assessorProfiles')
      .values({ userId, active, isChair })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ active, isChair, updatedAt: sql<Date>`now()` }))
      .execute();
  }

  /** The first (by id) of these assessors who may chair and is active; null when none. */
  async firstChair(tx: EntityManager, userIds: string[]): Promise<string | null> {
    if (!userIds.length) return null;
    const row = await this.db(tx)
      .selectFrom('assessorProfiles')
      .select('userId')
      .where('isChair', '=', true)
      .where('active', '=', true)
      .where('userId', 'in', userIds)
      .orderBy('userId')
      .limit(1)
      .executeTakeFirst();
    return row?.userId ?? null;
  }

  /** Reviewers with their assessor profile (if any) and their upcoming panels, by name. */
  async listing(): Promise<AssessorListing[]> {
    const { rows } = await sql<AssessorListing>`
      SELECT u.id, u.full_name, u.email, p.user_id IS NOT NULL AS assessor, coalesce(p.is_chair, false) AS is_chair,
             coalesce(p.active, false) AS active, coalesce(p.time_zone, 'UTC') AS time_zone,
             (SELECT count(*)::int FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id
              WHERE mb.assessor_id = u.id AND mb.active AND b.status = 'booked' AND b.starts_at > now()) AS upcoming
      FROM ${usersReader.people(this.db())} u LEFT JOIN assessor_profiles p ON p.user_id = u.id
      WHERE 'reviewer' = ANY(u.roles) ORDER BY u.full_name LIMIT 500`.execute(this.db());
    return rows;
  }

  /**
   * Active assessors with no conflict with the candidate: not the candidate, no declared conflict
   * either way, not matched by a conflict the candidate declared and an administrator confirmed, and not a reviewer of any of the candidate's
   * portfolio submissions (the panel must judge afresh). Each comes with their live bookings.
   */
  async eligibleCalendars(candidateId: string, tx?: EntityManager, exceptBookingId: string | null = null): Promise<AssessorCalendar[]> {
    const db = this.db(tx);
    const { rows } = await sql<CalendarRow>`
      SELECT p.user_id, p.time_zone, p.is_chair, p.weekly_cap, p.weekly_windows, p.date_overrides,
             coalesce(json_agg(json_build_object('start', lower(mb.busy), 'end', b.ends_at)) FILTER (WHERE b.id IS NOT NULL), '[]')
               AS bookings
      FROM assessor_profiles p
      JOIN ${usersReader.people(db)} u ON u.id = p.user_id AND 'reviewer' = ANY(u.roles) AND u.deactivated_at IS NULL
      LEFT JOIN panel_members mb ON mb.assessor_id = p.user_id AND mb.active
      LEFT JOIN panel_bookings b ON b.id = mb.booking_id AND b.id IS DISTINCT FROM ${exceptBookingId}::uuid
      WHERE p.active AND p.user_id <> ${candidateId}
        AND NOT EXISTS (SELECT 1 FROM ${reviewsReader.conflicts(db)} c WHERE c.reviewer_id = p.user_id AND c.candidate_id = ${candidateId})
        AND NOT EXISTS (SELECT 1 FROM ${portfoliosReader.exclusions(db)} e WHERE e.reviewer_id = p.user_id AND e.candidate_id = ${candidateId})
        AND NOT EXISTS (SELECT 1 FROM ${reviewsReader.engagedReviewers(db)} a WHERE a.reviewer_id = p.user_id AND a.candidate_id = ${candidateId})
      GROUP BY p.user_id ORDER BY p.user_id`.execute(db);
    return rows.map((r) => ({
      id: r.userId,
      timeZone: r.timeZone,
      isChair: r.isChair,
      weeklyCap: r.weeklyCap,
      weekly: r.weeklyWindows,
      overrides: r.dateOverrides,
      bookings: r.bookings.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) })),
    }));
  }
}
