import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { BookingState } from './booking-lifecycle';
import { type InterviewState, OPEN_INTERVIEW_STATES } from './interview-lifecycle';
import type { AssessorCalendar, DateOverride, SlotRules, WeeklyWindow } from './slot-computation';

export interface PanelSettingsRow {
  duration_minutes: number;
  buffer_minutes: number;
  min_notice_hours: number;
  horizon_days: number;
  step_minutes: number;
  max_reschedules: number;
  change_cutoff_hours: number;
  met_score: number;
  domain_pass_votes: number;
  candidate_no_show: 'fail' | 'rebook';
}

export interface InterviewRow {
  id: string;
  candidate_id: string;
  submission_id: string;
  status: InterviewState;
  time_zone: string;
  reschedules_used: number;
}

export interface BookingRow {
  id: string;
  interview_id: string;
  starts_at: Date;
  ends_at: Date;
  status: BookingState;
  sequence: number;
  meeting_url: string;
}

export interface MemberRow {
  assessor_id: string;
  is_chair: boolean;
  active: boolean;
  no_show: boolean;
  full_name: string;
  email: string;
  time_zone: string;
}

export function rulesOf(s: PanelSettingsRow): SlotRules {
  return {
    durationMinutes: s.duration_minutes,
    bufferMinutes: s.buffer_minutes,
    minNoticeHours: s.min_notice_hours,
    horizonDays: s.horizon_days,
    stepMinutes: s.step_minutes,
  };
}

const INTERVIEW_COLUMNS = 'id, candidate_id, submission_id, status, time_zone, reschedules_used';
const BOOKING_COLUMNS = 'id, interview_id, starts_at, ends_at, status, sequence, meeting_url';

/** Narrow, named queries for panels; the rules that use them live in the services. */
@Injectable()
export class PanelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async settings(m: EntityManager | DataSource = this.dataSource): Promise<PanelSettingsRow> {
    const [row] = await m.query(`SELECT * FROM panel_settings`);
    return row;
  }

  /**
   * Active assessors with no conflict with the candidate: not the candidate, no declared conflict
   * either way, not excluded by the candidate, and not a reviewer of any of the candidate's
   * portfolio submissions (the panel must judge afresh). Each comes with their live bookings.
   */
  async eligibleCalendars(
    m: EntityManager | DataSource,
    candidateId: string,
    exceptBookingId: string | null = null,
  ): Promise<AssessorCalendar[]> {
    const rows = await m.query(
      `SELECT p.user_id, p.time_zone, p.is_chair, p.weekly_cap, p.weekly_windows, p.date_overrides,
              coalesce(json_agg(json_build_object('start', lower(mb.busy), 'end', b.ends_at)) FILTER (WHERE b.id IS NOT NULL), '[]') AS bookings
       FROM assessor_profiles p
       JOIN users u ON u.id = p.user_id AND 'reviewer' = ANY(u.roles)
       LEFT JOIN panel_members mb ON mb.assessor_id = p.user_id AND mb.active
       LEFT JOIN panel_bookings b ON b.id = mb.booking_id AND b.id IS DISTINCT FROM $2::uuid
       WHERE p.active AND p.user_id <> $1
         AND NOT EXISTS (SELECT 1 FROM reviewer_conflicts c WHERE c.reviewer_id = p.user_id AND c.candidate_id = $1)
         AND NOT EXISTS (SELECT 1 FROM portfolio_exclusions e JOIN portfolios pf ON pf.id = e.portfolio_id
                         WHERE e.reviewer_id = p.user_id AND pf.user_id = $1)
         AND NOT EXISTS (SELECT 1 FROM review_assignments a JOIN portfolio_submissions s ON s.id = a.submission_id
                         WHERE a.reviewer_id = p.user_id AND s.user_id = $1 AND a.status IN ('accepted', 'completed'))
       GROUP BY p.user_id ORDER BY p.user_id`,
      [candidateId, exceptBookingId],
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.user_id as string,
      timeZone: r.time_zone as string,
      isChair: r.is_chair as boolean,
      weeklyCap: r.weekly_cap as number,
      weekly: r.weekly_windows as WeeklyWindow[],
      overrides: r.date_overrides as DateOverride[],
      bookings: (r.bookings as Array<{ start: string; end: string }>).map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) })),
    }));
  }

  /** The candidate's open or latest interview. */
  async interviewOf(m: EntityManager | DataSource, candidateId: string, lock = false): Promise<InterviewRow | null> {
    const [row] = await m.query(
      `SELECT ${INTERVIEW_COLUMNS} FROM panel_interviews
       WHERE candidate_id = $1 ORDER BY (status = ANY($2::text[])) DESC, created_at DESC LIMIT 1 ${lock ? 'FOR UPDATE' : ''}`,
      [candidateId, OPEN_INTERVIEW_STATES],
    );
    return row ?? null;
  }

  async liveBooking(m: EntityManager | DataSource, interviewId: string, lock = false): Promise<BookingRow | null> {
    const [row] = await m.query(
      `SELECT ${BOOKING_COLUMNS} FROM panel_bookings
       WHERE interview_id = $1 AND status = 'booked' ${lock ? 'FOR UPDATE' : ''}`,
      [interviewId],
    );
    return row ?? null;
  }

  async latestBooking(m: EntityManager | DataSource, interviewId: string): Promise<BookingRow | null> {
    const [row] = await m.query(
      `SELECT ${BOOKING_COLUMNS} FROM panel_bookings
       WHERE interview_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [interviewId],
    );
    return row ?? null;
  }

  async booking(m: EntityManager | DataSource, bookingId: string, lock = false): Promise<BookingRow | null> {
    const [row] = await m.query(`SELECT ${BOOKING_COLUMNS} FROM panel_bookings WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [bookingId]);
    return row ?? null;
  }

  async interview(m: EntityManager | DataSource, interviewId: string, lock = false): Promise<InterviewRow | null> {
    const [row] = await m.query(`SELECT ${INTERVIEW_COLUMNS} FROM panel_interviews WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      interviewId,
    ]);
    return row ?? null;
  }

  async members(m: EntityManager | DataSource, bookingId: string, activeOnly = true): Promise<MemberRow[]> {
    return m.query(
      `SELECT mb.assessor_id, mb.is_chair, mb.active, mb.no_show, u.full_name, u.email, coalesce(p.time_zone, 'UTC') AS time_zone
       FROM panel_members mb JOIN users u ON u.id = mb.assessor_id LEFT JOIN assessor_profiles p ON p.user_id = mb.assessor_id
       WHERE mb.booking_id = $1 ${activeOnly ? 'AND mb.active' : ''} ORDER BY mb.is_chair DESC, u.full_name`,
      [bookingId],
    );
  }

  async person(m: EntityManager | DataSource, userId: string): Promise<{ id: string; full_name: string; email: string }> {
    const [row] = await m.query(`SELECT id, full_name, email FROM users WHERE id = $1`, [userId]);
    return row;
  }

  async upsertMember(
    m: EntityManager,
    bookingId: string,
    assessorId: string,
    isChair: boolean,
    start: Date,
    end: Date,
    bufferMinutes: number,
  ) {
    await m.query(
      `INSERT INTO panel_members (booking_id, assessor_id, is_chair, busy)
       VALUES ($1, $2, $3, tstzrange($4, $5::timestamptz + make_interval(mins => $6::int), '[)'))
       ON CONFLICT (booking_id, assessor_id) DO UPDATE SET active = true, is_chair = $3, busy = EXCLUDED.busy, left_at = NULL, left_reason = NULL`,
      [bookingId, assessorId, isChair, start, end, bufferMinutes],
    );
  }

  async deactivateMembers(m: EntityManager, bookingId: string, assessorIds: string[] | 'all', reason: string) {
    await m.query(
      `UPDATE panel_members SET active = false, left_at = now(), left_reason = $3
       WHERE booking_id = $1 AND active AND ($2::uuid[] IS NULL OR assessor_id = ANY($2::uuid[]))`,
      [bookingId, assessorIds === 'all' ? null : assessorIds, reason],
    );
  }
}
