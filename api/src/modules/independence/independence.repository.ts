import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { panelsReader } from '../panels/panels.reader';
import { portfoliosReader } from '../portfolios/portfolios.reader';
import { reviewsReader } from '../reviews/reviews.reader';

/** How someone is party to a candidate's case. */
export type CaseTie = 'reviewer' | 'conflict' | 'excluded' | 'assessor' | 'decider';

/**
 * The independence module owns no table: it reads the owners' readers only (architecture invariant 13),
 * over the caller's executor, so a check made inside a decision's transaction sees what that transaction sees.
 */
@Injectable()
export class IndependenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx: EntityManager | null) {
    return typed(tx ?? this.dataSource);
  }

  /** Every tie between the actor and the candidate's case (empty: the actor is independent of it). */
  async ties(
    tx: EntityManager | null,
    actorId: string,
    candidateId: string,
    opts: { decisionOf?: string; includePanelSeats: boolean },
  ): Promise<CaseTie[]> {
    const db = this.db(tx);
    const tie = (name: CaseTie) => sql<CaseTie>`${sql.lit(name)}::text`.as('tie');
    let query = db
      .selectFrom(reviewsReader.engagedReviewers(db).as('a'))
      .select(tie('reviewer'))
      .where('a.reviewerId', '=', actorId)
      .where('a.candidateId', '=', candidateId)
      .unionAll(
        db
          .selectFrom(reviewsReader.conflicts(db).as('c'))
          .select(tie('conflict'))
          .where('c.reviewerId', '=', actorId)
          .where('c.candidateId', '=', candidateId),
      )
      .unionAll(
        db
          .selectFrom(portfoliosReader.exclusions(db).as('e'))
          .select(tie('excluded'))
          .where('e.reviewerId', '=', actorId)
          .where('e.candidateId', '=', candidateId),
      );
    if (opts.includePanelSeats) {
      query = query.unionAll(
        db
          .selectFrom(panelsReader.activeAssessors(db).as('p'))
          .select(tie('assessor'))
          .where('p.assessorId', '=', actorId)
          .where('p.candidateId', '=', candidateId),
      );
    }
    if (opts.decisionOf) {
      query = query.unionAll(
        db
          .selectFrom(reviewsReader.decisions(db).as('d'))
          .select(tie('decider'))
          .where('d.submissionId', '=', opts.decisionOf)
          .where('d.decidedBy', '=', actorId),
      );
    }
    const rows = await query.execute();
    return [...new Set(rows.map((r) => r.tie))];
  }
}
