import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { certificatesReader } from '../certificates/certificates.reader';
import { examsReader } from '../exams/exams.reader';
import { panelsReader } from '../panels/panels.reader';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { reviewsReader } from '../reviews/reviews.reader';
import { usersReader } from '../users/users.reader';

/** A half-open interval of instants: [start, end). */
export interface Interval {
  start: Date;
  end: Date;
}

export interface AttemptDay {
  day: string;
  started: number;
  submitted: number;
  passed: number;
  /** Scored and not passed: the attempts list's `result=failed` (passed = false). */
  failed: number;
}

export interface CertificateCounts {
  issued: number;
  active: number;
  expired: number;
  suspended: number;
  revoked: number;
  expiring: number;
}

const n = (v: string | number | bigint | null | undefined): number => Number(v ?? 0);

/**
 * The administrator dashboard's reads: counts over other modules' data, each through its owner's reader
 * (architecture invariant 13). The module writes no table. Each method is one aggregate query; the
 * service runs them together.
 */
@Injectable()
export class AdminDashboardRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db() {
    return typed(this.dataSource);
  }

  /** Accounts holding the candidate role created in the interval (what the People list shows for the same filter). */
  async candidatesRegistered(period: Interval): Promise<number> {
    const db = this.db();
    const row = await db
      .selectFrom(usersReader.registrations(db).as('u'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(sql<boolean>`'candidate' = ANY(u.roles)`)
      .where('u.createdAt', '>=', period.start)
      .where('u.createdAt', '<', period.end)
      .executeTakeFirstOrThrow();
    return n(row.n);
  }

  /**
   * AIDA attempts started in the interval, per UTC day: started, scored (submitted, or closed at the
   * deadline and scored), passed and failed (the attempts list's `result` filter: passed true or false).
   * Days without attempts are absent.
   */
  async attemptsPerDay(period: Interval): Promise<AttemptDay[]> {
    const db = this.db();
    const day = sql<string>`to_char(a.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    const rows = await db
      .selectFrom(examsReader.attempts(db).as('a'))
      .select([
        day.as('day'),
        sql<string>`count(*)`.as('started'),
        sql<string>`count(*) FILTER (WHERE a.status IN ('submitted', 'expired') AND a.passed IS NOT NULL)`.as('submitted'),
        sql<string>`count(*) FILTER (WHERE a.passed)`.as('passed'),
        sql<string>`count(*) FILTER (WHERE NOT a.passed)`.as('failed'),
      ])
      .where('a.examCode', '=', 'AIDA')
      .where('a.startedAt', '>=', period.start)
      .where('a.startedAt', '<', period.end)
      .groupBy(day)
      .orderBy(day)
      .execute();
    return rows.map((r) => ({ day: r.day, started: n(r.started), submitted: n(r.submitted), passed: n(r.passed), failed: n(r.failed) }));
  }

  /** Scored AIDA attempts started in the interval, counted per score (percent). */
  async scores(period: Interval): Promise<Array<{ scorePercent: number; count: number }>> {
    const db = this.db();
    const rows = await db
      .selectFrom(examsReader.attempts(db).as('a'))
      .select(['a.scorePercent', sql<string>`count(*)`.as('count')])
      .where('a.examCode', '=', 'AIDA')
      .where('a.status', 'in', ['submitted', 'expired'])
      .where('a.passed', 'is not', null)
      .where('a.scorePercent', 'is not', null)
      .where('a.startedAt', '>=', period.start)
      .where('a.startedAt', '<', period.end)
      .groupBy('a.scorePercent')
      .execute();
    return rows.map((r) => ({ scorePercent: Number(r.scorePercent), count: n(r.count) }));
  }

  /**
   * Every submission now, counted by its stage on the admin pipeline board: its decision's outcome when
   * decided, else adjudication or in review (the board's own rule, DecisionsService.board).
   */
  async submissionsByStage(): Promise<Array<{ stage: string; count: number }>> {
    const db = this.db();
    const stage = sql<string>`CASE WHEN d.outcome IS NOT NULL THEN 'decided: ' || d.outcome
      WHEN s.status = 'adjudication' THEN 'adjudication' ELSE 'in review' END`;
    const rows = await db
      .selectFrom(portfoliosReader.submissions(db).as('s'))
      .leftJoin(reviewsReader.decisions(db).as('d'), 'd.submissionId', 's.id')
      .select([stage.as('stage'), sql<string>`count(*)`.as('count')])
      .groupBy(stage)
      .execute();
    return rows.map((r) => ({ stage: r.stage, count: n(r.count) }));
  }

  /** Days from the offer of each assignment to its submitted review, for reviews submitted in the interval. */
  async reviewTurnaroundDays(period: Interval): Promise<number[]> {
    const db = this.db();
    const row = await db
      .selectFrom(reviewsReader.submittedReviews(db).as('r'))
      .innerJoin(reviewsReader.assignments(db).as('a'), 'a.id', 'r.assignmentId')
      .select(sql<number[] | null>`array_agg(extract(epoch FROM r.submitted_at - a.offered_at) / 86400.0)`.as('days'))
      .where('r.submittedAt', '>=', period.start)
      .where('r.submittedAt', '<', period.end)
      .executeTakeFirstOrThrow();
    return (row.days ?? []).map(Number);
  }

  /** Accepted assignments past their due date with no review yet: overdue as of now. */
  async overdueReviews(): Promise<number> {
    const db = this.db();
    const row = await db
      .selectFrom(reviewsReader.assignments(db).as('a'))
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('a.status', '=', 'accepted')
      .where('a.dueAt', '<', sql<Date>`now()`)
      .executeTakeFirstOrThrow();
    return n(row.n);
  }

  /** Panel bookings whose interview starts in the interval, by the booking's status. */
  async panelBookingsByStatus(period: Interval): Promise<Array<{ status: string; count: number }>> {
    const db = this.db();
    const rows = await db
      .selectFrom(panelsReader.bookings(db).as('b'))
      .select(['b.status', sql<string>`count(*)`.as('count')])
      .where('b.startsAt', '>=', period.start)
      .where('b.startsAt', '<', period.end)
      .groupBy('b.status')
      .execute();
    return rows.map((r) => ({ status: r.status, count: n(r.count) }));
  }

  /** Panel decisions made in the interval, by outcome. */
  async panelOutcomes(period: Interval): Promise<Array<{ outcome: string; count: number }>> {
    const db = this.db();
    const rows = await db
      .selectFrom(panelsReader.decisions(db).as('d'))
      .select(['d.outcome', sql<string>`count(*)`.as('count')])
      .where('d.decidedAt', '>=', period.start)
      .where('d.decidedAt', '<', period.end)
      .groupBy('d.outcome')
      .execute();
    return rows.map((r) => ({ outcome: r.outcome, count: n(r.count) }));
  }

  /**
   * Certificates issued in the interval, and the register now by the certificates list's `status`:
   * active means not yet expired, expired is an active one past its expiry; expiring is the list's
   * `status=active&expiringBefore=` (not expired yet, expiry before the exclusive bound).
   */
  async certificateCounts(period: Interval, expiringBefore: Date): Promise<CertificateCounts> {
    const db = this.db();
    const row = await db
      .selectFrom(certificatesReader.held(db).as('c'))
      .select([
        sql<string>`count(*) FILTER (WHERE c.issued_at >= ${period.start} AND c.issued_at < ${period.end})`.as('issued'),
        sql<string>`count(*) FILTER (WHERE c.status = 'active' AND c.expires_at > now())`.as('active'),
        sql<string>`count(*) FILTER (WHERE c.status = 'active' AND c.expires_at <= now())`.as('expired'),
        sql<string>`count(*) FILTER (WHERE c.status = 'suspended')`.as('suspended'),
        sql<string>`count(*) FILTER (WHERE c.status = 'revoked')`.as('revoked'),
        sql<string>`count(*) FILTER (WHERE c.status = 'active' AND c.expires_at > now() AND c.expires_at < ${expiringBefore})`.as(
          'expiring',
        ),
      ])
      .executeTakeFirstOrThrow();
    return {
      issued: n(row.issued),
      active: n(row.active),
      expired: n(row.expired),
      suspended: n(row.suspended),
      revoked: n(row.revoked),
      expiring: n(row.expiring),
    };
  }
}
