import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { certificatesReader } from '../certificates/certificates.reader';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { reviewsReader } from '../reviews/reviews.reader';
import { usersReader } from '../users/users.reader';
import { type InterviewState, interviewLifecycle, OPEN_INTERVIEW_STATES } from './interview-lifecycle';
import type { SlotRules } from './slot-computation';

export type CandidateNoShow = 'fail' | 'rebook';

/** The one row of panel settings. */
export interface PanelSettings {
  durationMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  horizonDays: number;
  stepMinutes: number;
  maxReschedules: number;
  changeCutoffHours: number;
  metScore: number;
  domainPassVotes: number;
  candidateNoShow: CandidateNoShow;
}

/** A candidate's panel interview, its status narrowed to the interview lifecycle. */
export interface Interview {
  id: string;
  candidateId: string;
  submissionId: string;
  status: InterviewState;
  timeZone: string;
  reschedulesUsed: number;
}

export interface Person {
  id: string;
  fullName: string;
  email: string;
}

export function rulesOf(s: PanelSettings): SlotRules {
  return {
    durationMinutes: s.durationMinutes,
    bufferMinutes: s.bufferMinutes,
    minNoticeHours: s.minNoticeHours,
    horizonDays: s.horizonDays,
    stepMinutes: s.stepMinutes,
  };
}

const SETTINGS_COLUMNS = [
  'durationMinutes',
  'bufferMinutes',
  'minNoticeHours',
  'horizonDays',
  'stepMinutes',
  'maxReschedules',
  'changeCutoffHours',
  'metScore',
  'domainPassVotes',
  'candidateNoShow',
] as const;

const INTERVIEW_COLUMNS = ['id', 'candidateId', 'submissionId', 'status', 'timeZone', 'reschedulesUsed'] as const;

function candidateNoShowOf(value: string): CandidateNoShow {
  if (value !== 'fail' && value !== 'rebook') throw new Error(`Unknown candidate no-show setting "${value}"`);
  return value;
}

const toInterview = (row: Omit<Interview, 'status'> & { status: string }): Interview => ({
  ...row,
  status: interviewLifecycle.parse(row.status),
});
const orNull = (row: (Omit<Interview, 'status'> & { status: string }) | undefined): Interview | null => (row ? toInterview(row) : null);

/** Panel settings, interviews and the people they concern; the rules that use them live in the services. */
@Injectable()
export class PanelsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  // ---- settings ----

  async settings(tx?: EntityManager): Promise<PanelSettings> {
    const row = await this.db(tx).selectFrom('panelSettings').select(SETTINGS_COLUMNS).executeTakeFirstOrThrow();
    return { ...row, candidateNoShow: candidateNoShowOf(row.candidateNoShow) };
  }

  /** The settings row locked for the rest of the caller's transaction: saves are serialised, so a stale one is caught. */
  async lockSettings(tx: EntityManager): Promise<PanelSettings> {
    const row = await this.db(tx).selectFrom('panelSettings').select(SETTINGS_COLUMNS).forUpdate().executeTakeFirstOrThrow();
    return { ...row, candidateNoShow: candidateNoShowOf(row.candidateNoShow) };
  }

  async saveSettings(tx: EntityManager, s: PanelSettings): Promise<void> {
    await this.db(tx)
      .updateTable('panelSettings')
      .set({ ...s, updatedAt: sql<Date>`now()` })
      .execute();
  }

  // ---- interviews ----

  /** Opens the panel stage once per submission; null when it is already open. */
  /**
   * The candidate of a CPAA submission whose decision is a pass, else null. Shares the submission's
   * lock with a decision being changed, so the answer holds until the caller's transaction ends.
   */
  async passedCpaaCandidate(tx: EntityManager, submissionId: string): Promise<string | null> {
    const db = this.db(tx);
    const row = await db
      .selectFrom(portfoliosReader.submissions(db).as('s'))
      .innerJoin(reviewsReader.decisions(db).as('d'), 'd.submissionId', 's.id')
      .select('s.userId')
      .where('s.id', '=', submissionId)
      .where('s.credential', '=', 'CPAA')
      .where('d.outcome', '=', 'pass')
      .forShare('s')
      .executeTakeFirst();
    return row?.userId ?? null;
  }

  /** Passed CPAA portfolios decided before `decidedBefore` whose panel stage was never opened, oldest first. */
  async passedCpaaWithoutInterview(decidedBefore: Date, limit: number): Promise<Array<{ submissionId: string; decidedBy: string | null }>> {
    const db = this.db();
    return db
      .selectFrom(portfoliosReader.submissions(db).as('s'))
      .innerJoin(reviewsReader.decisions(db).as('d'), 'd.submissionId', 's.id')
      .select(['s.id as submissionId', 'd.decidedBy'])
      .where('s.credential', '=', 'CPAA')
      .where('d.outcome', '=', 'pass')
      .where('d.decidedAt', '<', decidedBefore)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('panelInterviews as iv').select('iv.id').whereRef('iv.submissionId', '=', 's.id'))),
      )
      .orderBy('d.decidedAt')
      .limit(limit)
      .execute();
  }

  async insertInterview(tx: EntityManager, candidateId: string, submissionId: string): Promise<string | null> {
    const row = await this.db(tx)
      .insertInto('panelInterviews')
      .values({ candidateId, submissionId })
      .onConflict((oc) => oc.column('submissionId').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  /** The candidate's open or latest interview. */
  async interviewOf(candidateId: string, tx?: EntityManager, lock = false): Promise<Interview | null> {
    const query = this.db(tx)
      .selectFrom('panelInterviews')
      .select(INTERVIEW_COLUMNS)
      .where('candidateId', '=', candidateId)
      .orderBy((eb) => eb('status', 'in', [...OPEN_INTERVIEW_STATES]), 'desc')
      .orderBy('createdAt', 'desc')
      .limit(1);
    return orNull(await (lock ? query.forUpdate() : query).executeTakeFirst());
  }

  async interview(interviewId: string, tx?: EntityManager, lock = false): Promise<Interview | null> {
    const query = this.db(tx).selectFrom('panelInterviews').select(INTERVIEW_COLUMNS).where('id', '=', interviewId);
    return orNull(await (lock ? query.forUpdate() : query).executeTakeFirst());
  }

  async markBooked(tx: EntityManager, interviewId: string, timeZone: string): Promise<void> {
    await this.db(tx).updateTable('panelInterviews').set({ status: 'booked', timeZone }).where('id', '=', interviewId).execute();
  }

  /** One of the candidate's changes is used (a reschedule, which also records the zone, or a cancellation). */
  async countChange(tx: EntityManager, interviewId: string, timeZone?: string): Promise<void> {
    await this.db(tx)
      .updateTable('panelInterviews')
      .set((eb) => ({ reschedulesUsed: eb('reschedulesUsed', '+', 1), ...(timeZone === undefined ? {} : { timeZone }) }))
      .where('id', '=', interviewId)
      .execute();
  }

  /**
   * Back to awaiting a booking; with `onlyFrom`, only from those states (a conditional UPDATE),
   * with `countChange`, using one of the candidate's changes.
   */
  async reopen(
    tx: EntityManager,
    interviewId: string,
    opts: { onlyFrom?: readonly InterviewState[]; countChange?: boolean } = {},
  ): Promise<void> {
    let query = this.db(tx)
      .updateTable('panelInterviews')
      .set((eb) => ({
        status: 'awaiting_booking',
        ...(opts.countChange ? { reschedulesUsed: eb('reschedulesUsed', '+', 1) } : {}),
      }))
      .where('id', '=', interviewId);
    if (opts.onlyFrom) query = query.where('status', 'in', [...opts.onlyFrom]);
    await query.execute();
  }

  async setStatus(tx: EntityManager, interviewId: string, status: InterviewState): Promise<void> {
    await this.db(tx).updateTable('panelInterviews').set({ status }).where('id', '=', interviewId).execute();
  }

  // ---- people and what the interview led to ----

  async person(userId: string, tx?: EntityManager): Promise<Person | null> {
    return (
      (await this.db(tx)
        .selectFrom(usersReader.people(this.db(tx)).as('u'))
        .select(['u.id', 'u.fullName', 'u.email'])
        .where('u.id', '=', userId)
        .executeTakeFirst()) ?? null
    );
  }

  async certificateNumber(interviewId: string): Promise<string | null> {
    const row = await this.db()
      .selectFrom(certificatesReader.numbers(this.db()).as('c'))
      .select('c.number')
      .where('c.sourceType', '=', 'panel_interview')
      .where('c.sourceId', '=', interviewId)
      .executeTakeFirst();
    return row?.number ?? null;
  }
}
