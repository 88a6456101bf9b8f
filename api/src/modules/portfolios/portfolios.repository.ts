import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { Json, PortfolioAttachments, PortfolioEvidence, Portfolios } from '../../infrastructure/database/schema.generated';
import { certificatesReader } from '../certificates/certificates.reader';
import { examsReader } from '../exams/exams.reader';
import { panelsReader } from '../panels/panels.reader';
import { reviewsReader } from '../reviews/reviews.reader';
import type { PortfolioCredential } from './dto/portfolio.dto';

/** A candidate's working draft of one credential's portfolio. */
export type Portfolio = Omit<Selectable<Portfolios>, 'credential' | 'context'> & {
  credential: PortfolioCredential;
  context: Record<string, string>;
};

export type Attachment = Selectable<PortfolioAttachments>;

/** An attachment with the user who owns its portfolio (for per-object authorisation). */
export type AttachmentWithOwner = Attachment & { userId: string };

/** What an upload decides; the database stamps when it was stored. */
export type NewAttachment = Pick<
  Attachment,
  'id' | 'portfolioId' | 'criterion' | 'fileName' | 'mediaType' | 'sizeBytes' | 'sha256' | 'storageKey'
>;

export type EvidenceEntry = Pick<Selectable<PortfolioEvidence>, 'criterion' | 'narrative' | 'updatedAt'>;

const toPortfolio = (row: Selectable<Portfolios>): Portfolio => ({
  ...row,
  credential: row.credential as PortfolioCredential,
  context: row.context as Record<string, string>,
});

@Injectable()
export class PortfoliosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async findOrCreate(userId: string, credential: PortfolioCredential): Promise<Portfolio> {
    await this.db()
      .insertInto('portfolios')
      .values({ userId, credential })
      .onConflict((oc) => oc.doNothing())
      .execute();
    return (await this.find(userId, credential))!;
  }

  /** `forUpdate` locks the row for the rest of the caller's transaction. */
  async find(userId: string, credential: PortfolioCredential, tx?: EntityManager, forUpdate = false): Promise<Portfolio | null> {
    const query = this.db(tx).selectFrom('portfolios').selectAll().where('userId', '=', userId).where('credential', '=', credential);
    const row = await (forUpdate ? query.forUpdate() : query).executeTakeFirst();
    return row ? toPortfolio(row) : null;
  }

  async mergeContext(portfolioId: string, patch: Record<string, string>): Promise<void> {
    await this.db()
      .updateTable('portfolios')
      .set({ context: sql<Json>`context || ${JSON.stringify(patch)}::jsonb`, updatedAt: sql<Date>`now()` })
      .where('id', '=', portfolioId)
      .execute();
  }

  async saveNarrative(portfolioId: string, criterion: string, narrative: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await this.db(tx)
        .insertInto('portfolioEvidence')
        .values({ portfolioId, criterion, narrative })
        .onConflict((oc) =>
          oc
            .columns(['portfolioId', 'criterion'])
            .doUpdateSet((eb) => ({ narrative: eb.ref('excluded.narrative'), updatedAt: sql<Date>`now()` })),
        )
        .execute();
      await this.db(tx)
        .updateTable('portfolios')
        .set({ updatedAt: sql<Date>`now()` })
        .where('id', '=', portfolioId)
        .execute();
    });
  }

  evidence(portfolioId: string, tx?: EntityManager): Promise<EvidenceEntry[]> {
    return this.db(tx)
      .selectFrom('portfolioEvidence')
      .select(['criterion', 'narrative', 'updatedAt'])
      .where('portfolioId', '=', portfolioId)
      .execute();
  }

  /** The draft's attachments (not removed), oldest first. */
  attachments(portfolioId: string, tx?: EntityManager): Promise<Attachment[]> {
    return this.db(tx)
      .selectFrom('portfolioAttachments')
      .selectAll()
      .where('portfolioId', '=', portfolioId)
      .where('removedAt', 'is', null)
      .orderBy('createdAt')
      .execute();
  }

  async insertAttachment(a: NewAttachment, tx?: EntityManager): Promise<Attachment> {
    return this.db(tx).insertInto('portfolioAttachments').values(a).returningAll().executeTakeFirstOrThrow();
  }

  async attachmentWithOwner(id: string): Promise<AttachmentWithOwner | null> {
    return (
      (await this.db()
        .selectFrom('portfolioAttachments as a')
        .innerJoin('portfolios as p', 'p.id', 'a.portfolioId')
        .selectAll('a')
        .select('p.userId')
        .where('a.id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }

  /** True when the user reviews (accepted or completed) a submission that lists this attachment. */
  async assignedReviewerMayRead(userId: string, attachmentId: string): Promise<boolean> {
    const db = this.db();
    const { rows } = await sql<{ one: number }>`
      SELECT 1 AS one FROM ${reviewsReader.engagedReviewers(db)} a JOIN portfolio_submissions s ON s.id = a.submission_id
      WHERE a.reviewer_id = ${userId}
        AND jsonb_path_exists(s.content, '$.evidence[*].attachments[*] ? (@.id == $id)', jsonb_build_object('id', ${attachmentId}::text))
      UNION ALL
      -- assessors on a CPAA panel read the passed submission the interview is about
      SELECT 1 FROM ${panelsReader.activeAssessors(db)} mb JOIN portfolio_submissions s ON s.id = mb.submission_id
      WHERE mb.assessor_id = ${userId}
        AND jsonb_path_exists(s.content, '$.evidence[*].attachments[*] ? (@.id == $id)', jsonb_build_object('id', ${attachmentId}::text))
      LIMIT 1`.execute(db);
    return rows.length > 0;
  }

  /** Removed from the draft only: a submitted version that lists it keeps the file. */
  async removeAttachment(id: string): Promise<void> {
    await this.db()
      .updateTable('portfolioAttachments')
      .set({ removedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Credentials the user has passed: an AIDA attempt, or a decided portfolio (its credential event). */
  async passedCredentials(userId: string): Promise<string[]> {
    const db = this.db();
    const rows = await db
      .selectFrom(examsReader.passes(db).as('a'))
      .select(sql<string>`'AIDA'`.as('credential'))
      .where('a.userId', '=', userId)
      .where('a.examCode', '=', 'AIDA')
      .union(db.selectFrom(certificatesReader.passes(db).as('e')).select('e.credential').where('e.userId', '=', userId))
      .execute();
    return rows.map((r) => r.credential);
  }
}
