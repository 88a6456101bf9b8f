import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/**
 * The exams module's part of a person's data rights: what the attempt views (ExamsService) do not
 * show, for the export, and the erasure of their answers and declared attributes. Attempt rows and
 * their results stay: a certificate and the exam's statistics rest on them.
 */
@Injectable()
export class ExamPersonalData {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async exportFor(userId: string) {
    const db = typed(this.dataSource);
    const accommodation = await db
      .selectFrom('accommodations')
      .select(['timeMultiplier', 'updatedAt'])
      .where('userId', '=', userId)
      .executeTakeFirst();
    const attributes = await db
      .selectFrom('candidateAttributes')
      .select(['attribute', 'value', 'updatedAt'])
      .where('userId', '=', userId)
      .orderBy('attribute')
      .execute();
    return { accommodation: accommodation ?? null, declaredAttributes: attributes };
  }

  /** Deletes the answers of every attempt of the person, their accommodation and the attributes they declared. */
  async eraseFor(tx: EntityManager, userId: string): Promise<void> {
    const db = typed(tx);
    await db
      .deleteFrom('attemptAnswers')
      .where('attemptId', 'in', db.selectFrom('attempts').select('id').where('userId', '=', userId))
      .execute();
    await db.deleteFrom('candidateAttributes').where('userId', '=', userId).execute();
    await db.deleteFrom('accommodations').where('userId', '=', userId).execute();
  }
}
