import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { CredentialCode } from '../programme/credentials';
import { submissionLifecycle, type SubmissionState } from './submission-lifecycle';

export interface LockedSubmission {
  id: string;
  status: SubmissionState;
  credential: CredentialCode;
  userId: string;
}

/**
 * The portfolios module's door for the review workflow, which decides submissions but does not
 * own them: it locks a submission, moves it through its lifecycle and closes appeals, always in
 * the caller's transaction. portfolio_submissions and portfolio_appeals are written only here and
 * in the portfolios module itself.
 */
@Injectable()
export class SubmissionStatus {
  /** Locks the submission (FOR UPDATE) for the rest of the caller's transaction; null when there is none. */
  async lock(tx: EntityManager, submissionId: string): Promise<LockedSubmission | null> {
    const row = await typed(tx)
      .selectFrom('portfolioSubmissions')
      .select(['id', 'status', 'credential', 'userId'])
      .where('id', '=', submissionId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) return null;
    return { id: row.id, status: submissionLifecycle.parse(row.status), credential: row.credential as CredentialCode, userId: row.userId };
  }

  /** Moves a locked submission; a move its lifecycle does not allow is refused (409) and writes nothing. */
  async move(tx: EntityManager, submission: LockedSubmission, to: SubmissionState): Promise<void> {
    submissionLifecycle.assert(submission.status, to);
    await typed(tx).updateTable('portfolioSubmissions').set({ status: to }).where('id', '=', submission.id).execute();
    submission.status = to;
  }

  /** Records how an appeal was handled; the decision it may have changed is recorded by the caller. */
  async closeAppeal(tx: EntityManager, appealId: string, status: 'upheld' | 'rejected', handledBy: string, note: string): Promise<void> {
    await typed(tx)
      .updateTable('portfolioAppeals')
      .set({ status, handledBy, outcomeNote: note, handledAt: sql<Date>`now()` })
      .where('id', '=', appealId)
      .execute();
  }
}
