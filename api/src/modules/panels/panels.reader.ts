import type { Db } from '../../infrastructure/database/kysely';

/**
 * What other modules may read of the panels module (architecture invariant 13), composable into the
 * caller's query as subqueries over the caller's executor.
 */
export const panelsReader = {
  /** Assessors currently on a panel, with the passed submission the interview is about (they may read it). */
  activeAssessors: (db: Db) =>
    db
      .selectFrom('panelMembers as mb')
      .innerJoin('panelBookings as b', 'b.id', 'mb.bookingId')
      .innerJoin('panelInterviews as iv', 'iv.id', 'b.interviewId')
      .select(['mb.assessorId', 'iv.submissionId', 'iv.candidateId'])
      .where('mb.active', '=', true),
  /** Bookings' times and states (no panel, no meeting link): the administrator dashboard. */
  bookings: (db: Db) => db.selectFrom('panelBookings').select(['id', 'interviewId', 'status', 'startsAt']),
  /** Panel decisions' outcomes and dates. */
  decisions: (db: Db) => db.selectFrom('panelDecisions').select(['interviewId', 'outcome', 'decidedAt']),
};
