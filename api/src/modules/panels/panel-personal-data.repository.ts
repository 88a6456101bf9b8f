import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/**
 * The panels module's part of a person's data rights: an assessor's score sheets in progress, for the
 * export, and the erasure of every sheet in progress the person wrote or that is about them. Submitted
 * score sheets and decisions stay: they are the decision records a CPAA certificate rests on.
 */
@Injectable()
export class PanelPersonalData {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The assessor's own sheets in progress (what they wrote; the candidate is named only by the booking). */
  async exportFor(userId: string) {
    return typed(this.dataSource)
      .selectFrom('panelScoreDrafts as d')
      .innerJoin('panelBookings as b', 'b.id', 'd.bookingId')
      .select(['d.bookingId', 'b.startsAt', 'd.content', 'd.updatedAt'])
      .where('d.assessorId', '=', userId)
      .orderBy('b.startsAt')
      .execute();
  }

  /**
   * Deletes the sheets in progress the person wrote as an assessor (they can never submit them) and those
   * other assessors keep about them as a candidate (working notes, not a decision record).
   */
  async eraseDraftsFor(tx: EntityManager, userId: string): Promise<number> {
    const db = typed(tx);
    const about = db
      .selectFrom('panelBookings as b')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .select('b.id')
      .where('iv.candidateId', '=', userId);
    const result = await db
      .deleteFrom('panelScoreDrafts')
      .where((eb) => eb.or([eb('assessorId', '=', userId), eb('bookingId', 'in', about)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
