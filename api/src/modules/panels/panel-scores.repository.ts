import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { usersReader } from '../users/users.reader';
import { bookingLifecycle, type BookingState } from './booking-lifecycle';

/** One assessor's score for one CPAA domain, with their notes. */
export interface ScoredDomain {
  domain: string;
  score: number;
  notes: string;
}

export interface ScoreSheet {
  assessorId: string;
  domainScores: ScoredDomain[];
  submittedAt: Date;
}

export interface DomainResult {
  domain: string;
  votes: number;
  met: boolean;
}

export type PanelOutcomeValue = 'pass' | 'fail';
export type DecisionRoute = 'panel' | 'no_show';

export interface PanelDecision {
  outcome: string;
  route: string;
  domainResults: DomainResult[];
  decidedAt: Date;
}

export interface NewPanelDecision {
  interviewId: string;
  bookingId: string;
  outcome: PanelOutcomeValue;
  route: DecisionRoute;
  domainResults: DomainResult[];
  decidedBy: string;
  note: string;
}

/** A panel in an assessor's list of assignments. */
export interface AssessorPanel {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingState;
  candidateName: string;
  isChair: boolean;
  scored: boolean;
  outcome: string | null;
}

/** What the panel reads of the passed submission. */
export interface SubmissionContent {
  context?: Record<string, unknown>;
  evidence?: Array<{ criterion: string; narrative: string; attachments?: Array<{ id: string; fileName: string; mediaType: string }> }>;
}

/** Score sheets, decisions and what assessors read for a panel. */
@Injectable()
export class PanelScoresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** The panels the assessor is an active member of, latest first. */
  async assessorPanels(assessorId: string): Promise<AssessorPanel[]> {
    const rows = await this.db()
      .selectFrom('panelMembers as mb')
      .innerJoin('panelBookings as b', 'b.id', 'mb.bookingId')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'iv.candidateId')
      .leftJoin('panelDecisions as d', 'd.bookingId', 'b.id')
      .select((eb) => [
        'b.id',
        'b.startsAt',
        'b.endsAt',
        'b.status',
        'u.fullName as candidateName',
        'mb.isChair',
        eb
          .exists(
            eb
              .selectFrom('panelScores as s')
              .select('s.bookingId')
              .whereRef('s.bookingId', '=', 'b.id')
              .where('s.assessorId', '=', assessorId),
          )
          .$castTo<boolean>()
          .as('scored'),
        'd.outcome',
      ])
      .where('mb.assessorId', '=', assessorId)
      .where('mb.active', '=', true)
      .orderBy('b.startsAt', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => ({ ...r, status: bookingLifecycle.parse(r.status) }));
  }

  async submissionContent(submissionId: string): Promise<SubmissionContent | null> {
    const row = await this.db()
      .selectFrom(portfoliosReader.submissions(this.db()).as('s'))
      .select('s.content')
      .where('s.id', '=', submissionId)
      .executeTakeFirst();
    return row ? (row.content as unknown as SubmissionContent) : null;
  }

  /** The booking's score sheets in the order they came in; with `assessorIds`, only theirs. */
  async scores(bookingId: string, tx?: EntityManager, assessorIds?: string[]): Promise<ScoreSheet[]> {
    if (assessorIds && !assessorIds.length) return [];
    let query = this.db(tx)
      .selectFrom('panelScores')
      .select(['assessorId', 'domainScores', 'submittedAt'])
      .where('bookingId', '=', bookingId);
    if (assessorIds) query = query.where('assessorId', 'in', assessorIds);
    const rows = await query.orderBy('submittedAt').execute();
    return rows.map((r) => ({ ...r, domainScores: r.domainScores as unknown as ScoredDomain[] }));
  }

  /** False when the assessor has already submitted a sheet for this booking. */
  async insertScores(tx: EntityManager, bookingId: string, assessorId: string, domains: ScoredDomain[]): Promise<boolean> {
    const row = await this.db(tx)
      .insertInto('panelScores')
      .values({ bookingId, assessorId, domainScores: JSON.stringify(domains) })
      .onConflict((oc) => oc.doNothing())
      .returning('bookingId')
      .executeTakeFirst();
    return Boolean(row);
  }

  /** The assessor's score sheet in progress for a booking, or null. */
  async draft(bookingId: string, assessorId: string): Promise<{ content: unknown; updatedAt: Date } | null> {
    return (
      (await this.db()
        .selectFrom('panelScoreDrafts')
        .select(['content', 'updatedAt'])
        .where('bookingId', '=', bookingId)
        .where('assessorId', '=', assessorId)
        .executeTakeFirst()) ?? null
    );
  }

  async saveDraft(tx: EntityManager, bookingId: string, assessorId: string, content: object): Promise<Date> {
    const json = JSON.stringify(content);
    const row = await this.db(tx)
      .insertInto('panelScoreDrafts')
      .values({ bookingId, assessorId, content: json })
      .onConflict((oc) => oc.columns(['bookingId', 'assessorId']).doUpdateSet({ content: json, updatedAt: sql<Date>`now()` }))
      .returning('updatedAt')
      .executeTakeFirstOrThrow();
    return row.updatedAt;
  }

  /** Drops the drafts of a booking: the assessor's alone when given (submitted, or off the panel), else everyone's (closed or cancelled). */
  async deleteDrafts(tx: EntityManager, bookingId: string, assessorId?: string): Promise<void> {
    let query = this.db(tx).deleteFrom('panelScoreDrafts').where('bookingId', '=', bookingId);
    if (assessorId) query = query.where('assessorId', '=', assessorId);
    await query.execute();
  }

  async decision(interviewId: string): Promise<PanelDecision | null> {
    const row = await this.db()
      .selectFrom('panelDecisions')
      .select(['outcome', 'route', 'domainResults', 'decidedAt'])
      .where('interviewId', '=', interviewId)
      .executeTakeFirst();
    return row ? { ...row, domainResults: row.domainResults as unknown as DomainResult[] } : null;
  }

  /** False when the interview already has its decision (one per interview). */
  async insertDecision(tx: EntityManager, d: NewPanelDecision): Promise<boolean> {
    const row = await this.db(tx)
      .insertInto('panelDecisions')
      .values({ ...d, domainResults: JSON.stringify(d.domainResults) })
      .onConflict((oc) => oc.column('interviewId').doNothing())
      .returning('interviewId')
      .executeTakeFirst();
    return Boolean(row);
  }
}
