import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/** An attachment whose file is still in storage, with where it belongs. */
export interface StoredAttachment {
  id: string;
  credential: string;
  criterion: string;
  fileName: string;
  mediaType: string;
  sizeBytes: number;
  storageKey: string;
  createdAt: Date;
  removedAt: Date | null;
}

/** Submissions still being judged: an account cannot be erased while reviewers work on one. */
const UNDER_REVIEW = ['submitted', 'adjudication'];

/**
 * The portfolios module's part of a person's data rights: their drafts, evidence, attachments,
 * submitted versions and appeals for the export; erasure of the drafts and attachment files; the
 * retention of removed attachments' files. Submitted versions are immutable (a database trigger) and
 * stay as the record decisions and certificates rest on.
 */
@Injectable()
export class PortfolioPersonalData {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async exportFor(userId: string) {
    const db = this.db();
    const portfolios = await db
      .selectFrom('portfolios')
      .select(['id', 'credential', 'context', 'createdAt', 'updatedAt'])
      .where('userId', '=', userId)
      .orderBy('credential')
      .execute();
    const ids = portfolios.map((p) => p.id);
    const evidence = ids.length
      ? await db
          .selectFrom('portfolioEvidence')
          .select(['portfolioId', 'criterion', 'narrative', 'updatedAt'])
          .where('portfolioId', 'in', ids)
          .execute()
      : [];
    const submissions = await db
      .selectFrom('portfolioSubmissions')
      .select(['id', 'credential', 'version', 'status', 'submittedAt', 'content'])
      .where('userId', '=', userId)
      .orderBy('submittedAt')
      .execute();
    const appeals = await db
      .selectFrom('portfolioAppeals')
      .select(['id', 'submissionId', 'grounds', 'filedAt', 'status', 'outcomeNote'])
      .where('userId', '=', userId)
      .orderBy('filedAt')
      .execute();
    // what they declared and what became of it; never whom it matched (candidates never see reviewer identities)
    const conflicts = ids.length
      ? await db
          .selectFrom('portfolioConflictDeclarations')
          .select(['portfolioId', 'kind', 'name', 'email', 'reason', 'status', 'createdAt', 'decidedAt', 'decisionNote'])
          .where('portfolioId', 'in', ids)
          .orderBy('createdAt')
          .execute()
      : [];
    return {
      portfolios: portfolios.map(({ id, ...p }) => ({
        ...p,
        evidence: evidence.filter((e) => e.portfolioId === id).map(({ portfolioId: _p, ...e }) => e),
        conflictDeclarations: conflicts.filter((c) => c.portfolioId === id).map(({ portfolioId: _p, ...c }) => c),
      })),
      submissions,
      appeals,
    };
  }

  /** Every attachment of the person whose file is still stored (removed ones too). */
  async storedAttachments(userId: string): Promise<StoredAttachment[]> {
    return this.db()
      .selectFrom('portfolioAttachments as a')
      .innerJoin('portfolios as p', 'p.id', 'a.portfolioId')
      .select([
        'a.id',
        'p.credential',
        'a.criterion',
        'a.fileName',
        'a.mediaType',
        'a.sizeBytes',
        'a.storageKey',
        'a.createdAt',
        'a.removedAt',
      ])
      .where('p.userId', '=', userId)
      .where('a.fileErasedAt', 'is', null)
      .orderBy('a.createdAt')
      .execute();
  }

  async submissionsUnderReview(userId: string): Promise<number> {
    const rows = await this.db()
      .selectFrom('portfolioSubmissions')
      .select('id')
      .where('userId', '=', userId)
      .where('status', 'in', UNDER_REVIEW)
      .execute();
    return rows.length;
  }

  /** Empties the drafts (deployment context, narratives) and marks every attachment removed; the files go after commit. */
  async eraseDraftsFor(tx: EntityManager, userId: string): Promise<void> {
    const db = this.db(tx);
    const mine = db.selectFrom('portfolios').select('id').where('userId', '=', userId);
    await db.deleteFrom('portfolioEvidence').where('portfolioId', 'in', mine).execute();
    // the declarations name people and give reasons; an erased account is judged by nobody any more
    await db.deleteFrom('portfolioConflictDeclarations').where('portfolioId', 'in', mine).execute();
    await db
      .updateTable('portfolioAttachments')
      .set({ removedAt: sql<Date>`coalesce(removed_at, now())` })
      .where('portfolioId', 'in', mine)
      .execute();
    await db
      .updateTable('portfolios')
      .set({ context: JSON.stringify({}), updatedAt: sql<Date>`now()` })
      .where('userId', '=', userId)
      .execute();
  }

  /**
   * Removed attachments older than `days` whose file is still stored and that no submitted version lists
   * (a submission's reviewers and its decision may still need those), oldest first.
   */
  async removedAttachmentsDue(days: number, limit: number): Promise<Array<{ id: string; storageKey: string }>> {
    return this.db()
      .selectFrom('portfolioAttachments as a')
      .select(['a.id', 'a.storageKey'])
      .where('a.removedAt', '<', sql<Date>`now() - make_interval(days => ${days})`)
      .where('a.fileErasedAt', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('portfolioSubmissions as s')
              .select('s.id')
              .whereRef('s.portfolioId', '=', 'a.portfolioId')
              .where(
                sql<boolean>`jsonb_path_exists(s.content, '$.evidence[*].attachments[*] ? (@.id == $id)', jsonb_build_object('id', a.id::text))`,
              ),
          ),
        ),
      )
      .orderBy('a.removedAt')
      .limit(limit)
      .execute();
  }

  /** The file is gone from storage: the row stays (the record of what was attached), its file marked erased. */
  async markFileErased(id: string): Promise<void> {
    await this.db()
      .updateTable('portfolioAttachments')
      .set({ fileErasedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }
}
