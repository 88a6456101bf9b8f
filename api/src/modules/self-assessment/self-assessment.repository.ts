import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/** Criterion code → rating (0..3); a criterion left out is unrated. */
export type Ratings = Record<string, number>;

export interface StoredSelfAssessment {
  ratings: Ratings;
  updatedAt: Date;
}

/** self_assessments: one row per person, replaced on every save. */
@Injectable()
export class SelfAssessmentRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findFor(userId: string): Promise<StoredSelfAssessment | null> {
    const row = await typed(this.dataSource)
      .selectFrom('selfAssessments')
      .select(['ratings', 'updatedAt'])
      .where('userId', '=', userId)
      .executeTakeFirst();
    return row ? { ratings: row.ratings as Ratings, updatedAt: row.updatedAt } : null;
  }

  /** One statement, so two saves at once leave one whole assessment (the later), never a mix. */
  async upsert(userId: string, ratings: Ratings): Promise<StoredSelfAssessment> {
    const row = await typed(this.dataSource)
      .insertInto('selfAssessments')
      .values({ userId, ratings: JSON.stringify(ratings) })
      .onConflict((oc) => oc.column('userId').doUpdateSet({ ratings: JSON.stringify(ratings), updatedAt: sql`now()` }))
      .returning(['ratings', 'updatedAt'])
      .executeTakeFirstOrThrow();
    return { ratings: row.ratings as Ratings, updatedAt: row.updatedAt };
  }

  /** Account deletion (GDPR Art. 17), in the erasure's transaction: the users row stays, pseudonymised. */
  async eraseFor(tx: EntityManager, userId: string): Promise<void> {
    await typed(tx).deleteFrom('selfAssessments').where('userId', '=', userId).execute();
  }
}
