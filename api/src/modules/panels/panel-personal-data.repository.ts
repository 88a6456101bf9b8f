import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/**
 * The panels module's part of a person's data rights: an assessor's seats and score sheets (in progress
 * and submitted) and the sheets about a candidate once decided, for the export; and the erasure of every sheet in progress the person wrote or that is about them. Submitted
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

  /** The seats the person held as an assessor: which panel and when, as chair or member, and whether they left or missed it. */
  async seatsOf(userId: string) {
    return typed(this.dataSource)
      .selectFrom('panelMembers as m')
      .innerJoin('panelBookings as b', 'b.id', 'm.bookingId')
      .select(['m.bookingId', 'b.startsAt', 'b.endsAt', 'b.status', 'm.isChair', 'm.active', 'm.leftAt', 'm.leftReason', 'm.noShow'])
      .where('m.assessorId', '=', userId)
      .orderBy('b.startsAt')
      .execute();
  }

  /** The score sheets the person submitted as an assessor (decision records: they stay after an erasure). */
  async sheetsWrittenBy(userId: string) {
    return typed(this.dataSource)
      .selectFrom('panelScores')
      .select(['bookingId', 'domainScores', 'submittedAt'])
      .where('assessorId', '=', userId)
      .orderBy('submittedAt')
      .execute();
  }

  /**
   * The score sheets about the person as a candidate, scores and notes without who wrote them (as reviews reach
   * the feedback page), once their interview is decided: until then the panel's deliberation is not theirs to see.
   */
  async sheetsAbout(userId: string) {
    return typed(this.dataSource)
      .selectFrom('panelScores as s')
      .innerJoin('panelBookings as b', 'b.id', 's.bookingId')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .select(['s.bookingId', 's.domainScores', 's.submittedAt'])
      .where('iv.candidateId', '=', userId)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('panelDecisions as d').select('d.interviewId').whereRef('d.interviewId', '=', 'iv.id')),
      )
      .orderBy('s.submittedAt')
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
