import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

export interface PortfolioRow {
  id: string;
  user_id: string;
  credential: 'CPAP' | 'CPAA';
  context: Record<string, string>;
  updated_at: Date;
}

export interface AttachmentRow {
  id: string;
  portfolio_id: string;
  criterion: string;
  file_name: string;
  media_type: string;
  size_bytes: number;
  sha256: string;
  storage_key: string;
  created_at: Date;
}

@Injectable()
export class PortfoliosRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager) {
    return manager ?? this.dataSource.manager;
  }

  async findOrCreate(userId: string, credential: string): Promise<PortfolioRow> {
    await this.dataSource.query(`INSERT INTO portfolios (user_id, credential) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      userId,
      credential,
    ]);
    const [row] = await this.dataSource.query(`SELECT * FROM portfolios WHERE user_id = $1 AND credential = $2`, [userId, credential]);
    return row;
  }

  async find(userId: string, credential: string, manager?: EntityManager, lock = ''): Promise<PortfolioRow | null> {
    const [row] = await this.m(manager).query(`SELECT * FROM portfolios WHERE user_id = $1 AND credential = $2 ${lock}`, [
      userId,
      credential,
    ]);
    return row ?? null;
  }

  async mergeContext(portfolioId: string, patch: Record<string, string>): Promise<void> {
    await this.dataSource.query(`UPDATE portfolios SET context = context || $2::jsonb, updated_at = now() WHERE id = $1`, [
      portfolioId,
      JSON.stringify(patch),
    ]);
  }

  async saveNarrative(portfolioId: string, criterion: string, narrative: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) VALUES ($1, $2, $3)
         ON CONFLICT (portfolio_id, criterion) DO UPDATE SET narrative = EXCLUDED.narrative, updated_at = now()`,
        [portfolioId, criterion, narrative],
      );
      await tx.query(`UPDATE portfolios SET updated_at = now() WHERE id = $1`, [portfolioId]);
    });
  }

  evidence(portfolioId: string, manager?: EntityManager): Promise<Array<{ criterion: string; narrative: string; updated_at: Date }>> {
    return this.m(manager).query(`SELECT criterion, narrative, updated_at FROM portfolio_evidence WHERE portfolio_id = $1`, [portfolioId]);
  }

  attachments(portfolioId: string, manager?: EntityManager): Promise<AttachmentRow[]> {
    return this.m(manager).query(`SELECT * FROM portfolio_attachments WHERE portfolio_id = $1 AND removed_at IS NULL ORDER BY created_at`, [
      portfolioId,
    ]);
  }

  async insertAttachment(a: Omit<AttachmentRow, 'created_at'>): Promise<AttachmentRow> {
    const [row] = await this.dataSource.query(
      `INSERT INTO portfolio_attachments (id, portfolio_id, criterion, file_name, media_type, size_bytes, sha256, storage_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
      [a.id, a.portfolio_id, a.criterion, a.file_name, a.media_type, a.size_bytes, a.sha256, a.storage_key],
    );
    return row;
  }

  /** The attachment with the user who owns its portfolio (for per-object authorisation). */
  async attachmentWithOwner(id: string): Promise<(AttachmentRow & { user_id: string }) | null> {
    const [row] = await this.dataSource.query(
      `SELECT a.*, p.user_id FROM portfolio_attachments a JOIN portfolios p ON p.id = a.portfolio_id WHERE a.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /** True when the user reviews (accepted or completed) a submission that lists this attachment. */
  async assignedReviewerMayRead(userId: string, attachmentId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT 1 FROM review_assignments a JOIN portfolio_submissions s ON s.id = a.submission_id
       WHERE a.reviewer_id = $1 AND a.status IN ('accepted', 'completed')
         AND jsonb_path_exists(s.content, '$.evidence[*].attachments[*] ? (@.id == $id)', jsonb_build_object('id', $2::text))
       UNION ALL
       -- assessors on a CPAA panel read the passed submission the interview is about
       SELECT 1 FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id JOIN panel_interviews iv ON iv.id = b.interview_id
       JOIN portfolio_submissions s ON s.id = iv.submission_id
       WHERE mb.assessor_id = $1 AND mb.active
         AND jsonb_path_exists(s.content, '$.evidence[*].attachments[*] ? (@.id == $id)', jsonb_build_object('id', $2::text))
       LIMIT 1`,
      [userId, attachmentId],
    );
    return Boolean(row);
  }

  /** Removed from the draft only: a submitted version that lists it keeps the file. */
  async removeAttachment(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE portfolio_attachments SET removed_at = now() WHERE id = $1`, [id]);
  }

  submissions(portfolioId: string): Promise<Array<{ id: string; version: number; status: string; submitted_at: Date }>> {
    return this.dataSource.query(
      `SELECT id, version, status, submitted_at FROM portfolio_submissions WHERE portfolio_id = $1 ORDER BY version DESC`,
      [portfolioId],
    );
  }

  async insertSubmission(tx: EntityManager, p: PortfolioRow, content: object): Promise<{ id: string; version: number }> {
    const [row] = await tx.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content)
       SELECT $1, $2, $3, coalesce(max(version), 0) + 1, $4 FROM portfolio_submissions WHERE portfolio_id = $1
       RETURNING id, version`,
      [p.id, p.user_id, p.credential, JSON.stringify(content)],
    );
    return row;
  }

  async setExclusions(portfolioId: string, reviewerIds: string[]): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await tx.query(`DELETE FROM portfolio_exclusions WHERE portfolio_id = $1`, [portfolioId]);
      await tx.query(
        `INSERT INTO portfolio_exclusions (portfolio_id, reviewer_id)
         SELECT $1, id FROM users WHERE id = ANY($2::uuid[]) AND 'reviewer' = ANY(roles)`,
        [portfolioId, reviewerIds],
      );
    });
  }

  exclusions(portfolioId: string): Promise<Array<{ reviewer_id: string }>> {
    return this.dataSource.query(`SELECT reviewer_id FROM portfolio_exclusions WHERE portfolio_id = $1`, [portfolioId]);
  }

  reviewers(): Promise<Array<{ id: string; full_name: string; organisation: string | null }>> {
    return this.dataSource.query(
      `SELECT u.id, u.full_name, p.organisation FROM users u LEFT JOIN reviewer_profiles p ON p.user_id = u.id
       WHERE 'reviewer' = ANY(u.roles) ORDER BY u.full_name`,
    );
  }

  /** Credentials the user has passed: an AIDA attempt, or a decided portfolio (its credential event). */
  async passedCredentials(userId: string): Promise<string[]> {
    const rows: Array<{ credential: string }> = await this.dataSource.query(
      `SELECT 'AIDA' AS credential FROM attempts WHERE user_id = $1 AND exam_code = 'AIDA' AND passed
       UNION SELECT credential FROM credential_events WHERE user_id = $1 AND kind = 'passed'`,
      [userId],
    );
    return rows.map((r) => r.credential);
  }
}
