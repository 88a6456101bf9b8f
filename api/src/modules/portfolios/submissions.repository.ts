import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { reviewsReader } from '../reviews/reviews.reader';
import type { Portfolio } from './portfolios.repository';
import { submissionLifecycle, type SubmissionState } from './submission-lifecycle';

export interface SubmissionSummary {
  id: string;
  version: number;
  status: SubmissionState;
  submittedAt: Date;
}

/** A submission with its decision, when there is one. */
export type DecidedSubmission = SubmissionSummary & {
  userId: string;
  credential: string;
  outcome: string | null;
  decidedAt: Date | null;
  resubmitUntil: Date | null;
};

/** The newest version of a portfolio and whether a "revise" decision's resubmission window has closed. */
export interface LatestSubmission {
  version: number;
  outcome: string | null;
  resubmitUntil: Date | null;
  closed: boolean | null;
}

/** A submission being appealed, and whether the 30 days for an appeal have passed. */
export interface AppealableSubmission {
  id: string;
  userId: string;
  outcome: string | null;
  decidedAt: Date | null;
  late: boolean | null;
}

export interface Appeal {
  id: string;
  status: string;
  filedAt: Date;
  outcomeNote: string | null;
}

export interface ReviewFeedback {
  criterionScores: Array<{ criterion: string; score: number; comment?: string }>;
  domainJudgements: Array<{ domain: string; met: boolean; comment?: string }>;
}

export const APPEAL_WINDOW_DAYS = 30;

/** Submitted versions of portfolios, their decisions as the candidate sees them, and appeals. */
@Injectable()
export class SubmissionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Decisions are the reviews module's: read through its reader. */
  private decisions(tx?: EntityManager) {
    return reviewsReader.decisions(this.db(tx)).as('d');
  }

  /** Every version of a portfolio, newest first. */
  async list(portfolioId: string): Promise<SubmissionSummary[]> {
    const rows = await this.db()
      .selectFrom('portfolioSubmissions')
      .select(['id', 'version', 'status', 'submittedAt'])
      .where('portfolioId', '=', portfolioId)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({ ...r, status: submissionLifecycle.parse(r.status) }));
  }

  async summary(tx: EntityManager, submissionId: string): Promise<SubmissionSummary | null> {
    const row = await this.db(tx)
      .selectFrom('portfolioSubmissions')
      .select(['id', 'version', 'status', 'submittedAt'])
      .where('id', '=', submissionId)
      .executeTakeFirst();
    return row ? { ...row, status: submissionLifecycle.parse(row.status) } : null;
  }

  async latest(tx: EntityManager | undefined, portfolioId: string): Promise<LatestSubmission | null> {
    return (
      (await this.db(tx)
        .selectFrom('portfolioSubmissions as s')
        .leftJoin(this.decisions(tx), 'd.submissionId', 's.id')
        .select(['s.version', 'd.outcome', 'd.resubmitUntil', sql<boolean | null>`d.resubmit_until < now()`.as('closed')])
        .where('s.portfolioId', '=', portfolioId)
        .orderBy('s.version', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null
    );
  }

  /** Freezes the content as the portfolio's next version. */
  async insert(tx: EntityManager, p: Portfolio, content: object): Promise<{ id: string; version: number }> {
    return this.db(tx)
      .insertInto('portfolioSubmissions')
      .columns(['portfolioId', 'userId', 'credential', 'version', 'content'])
      .expression((eb) =>
        eb
          .selectFrom('portfolioSubmissions')
          .select([
            eb.val(p.id).as('portfolioId'),
            eb.val(p.userId).as('userId'),
            eb.val(p.credential).as('credential'),
            sql<number>`coalesce(max(version), 0) + 1`.as('version'),
            eb.val(JSON.stringify(content)).as('content'),
          ])
          .where('portfolioId', '=', p.id),
      )
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
  }

  /** A submission's frozen content with its owner: what the candidate sent, as the reviewers read it. */
  async content(submissionId: string): Promise<{
    id: string;
    userId: string;
    credential: string;
    version: number;
    submittedAt: Date;
    content: unknown;
    portfolioId: string;
  } | null> {
    return (
      (await this.db()
        .selectFrom('portfolioSubmissions')
        .select(['id', 'userId', 'credential', 'version', 'submittedAt', 'content', 'portfolioId'])
        .where('id', '=', submissionId)
        .executeTakeFirst()) ?? null
    );
  }

  /** The version before this one of the same portfolio, if any. */
  async previousOf(portfolioId: string, version: number): Promise<{ id: string; version: number } | null> {
    return (
      (await this.db()
        .selectFrom('portfolioSubmissions')
        .select(['id', 'version'])
        .where('portfolioId', '=', portfolioId)
        .where('version', '<', version)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst()) ?? null
    );
  }

  async withDecision(submissionId: string): Promise<DecidedSubmission | null> {
    const row = await this.db()
      .selectFrom('portfolioSubmissions as s')
      .leftJoin(this.decisions(), 'd.submissionId', 's.id')
      .select(['s.id', 's.userId', 's.credential', 's.version', 's.status', 's.submittedAt', 'd.outcome', 'd.decidedAt', 'd.resubmitUntil'])
      .where('s.id', '=', submissionId)
      .executeTakeFirst();
    return row ? { ...row, status: submissionLifecycle.parse(row.status) } : null;
  }

  /** The reviews' scores and judgements in random order (nothing to tell the reviewers apart). */
  async reviewFeedback(submissionId: string): Promise<ReviewFeedback[]> {
    const rows = await this.db()
      .selectFrom(reviewsReader.feedback(this.db()).as('r'))
      .select(['criterionScores', 'domainJudgements'])
      .where('submissionId', '=', submissionId)
      .orderBy(sql`random()`)
      .execute();
    return rows.map((r) => ({
      criterionScores: r.criterionScores as unknown as ReviewFeedback['criterionScores'],
      domainJudgements: r.domainJudgements as unknown as ReviewFeedback['domainJudgements'],
    }));
  }

  async appealOf(submissionId: string): Promise<Appeal | null> {
    return (
      (await this.db()
        .selectFrom('portfolioAppeals')
        .select(['id', 'status', 'filedAt', 'outcomeNote'])
        .where('submissionId', '=', submissionId)
        .executeTakeFirst()) ?? null
    );
  }

  /** Locks the submission (not its decision) for the rest of the caller's transaction. */
  async lockForAppeal(tx: EntityManager, submissionId: string): Promise<AppealableSubmission | null> {
    return (
      (await this.db(tx)
        .selectFrom('portfolioSubmissions as s')
        .leftJoin(this.decisions(tx), 'd.submissionId', 's.id')
        .select([
          's.id',
          's.userId',
          'd.outcome',
          'd.decidedAt',
          sql<boolean | null>`d.decided_at + make_interval(days => ${APPEAL_WINDOW_DAYS}::int) < now()`.as('late'),
        ])
        .where('s.id', '=', submissionId)
        .forUpdate('s')
        .executeTakeFirst()) ?? null
    );
  }

  /** Null when the submission has already been appealed (one appeal per submission). */
  async insertAppeal(
    tx: EntityManager,
    a: { submissionId: string; userId: string; grounds: string },
  ): Promise<Omit<Appeal, 'outcomeNote'> | null> {
    return (
      (await this.db(tx)
        .insertInto('portfolioAppeals')
        .values(a)
        .onConflict((oc) => oc.column('submissionId').doNothing())
        .returning(['id', 'status', 'filedAt'])
        .executeTakeFirst()) ?? null
    );
  }
}
