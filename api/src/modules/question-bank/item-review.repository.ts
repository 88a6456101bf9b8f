import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ItemContent } from './item-content';

export interface ReviewRow {
  id: string;
  item_id: string;
  item_version_id: string;
  content_hash: string;
  version: number;
  reviewer_id: string;
  reviewer_name: string;
  reviewer_email: string;
  verdict: 'approve' | 'changes_requested';
  key_confirmed: boolean;
  cueing_ok: boolean;
  criterion: string;
  difficulty: string;
  comment: string;
  created_at: Date;
}

export interface CommentRow {
  id: string;
  item_id: string;
  item_version_id: string;
  content_hash: string;
  version: number;
  author_name: string;
  author_email: string;
  body: string;
  created_at: Date;
}

export interface StageRow {
  id: string;
  item_id: string;
  item_version_id: string;
  content_hash: string;
  version: number;
  from_status: string;
  to_status: string;
  actor_name: string;
  actor_email: string;
  comment: string;
  created_at: Date;
}

export interface ReviewedItemRow {
  id: string;
  domain: string;
  criterion: string;
  status: string;
  adopted: boolean;
  current_version_id: string;
  version: number;
  content_hash: string;
  content: ItemContent;
}

const REVIEW_COLUMNS = `r.id, r.item_id, r.item_version_id, v.content_hash, v.version, r.reviewer_id, u.full_name AS reviewer_name,
  u.email AS reviewer_email, r.verdict, r.key_confirmed, r.cueing_ok, r.criterion, r.difficulty, r.comment, r.created_at`;

/** The item review workflow's records: reviews and comments on item versions, and their stage changes. */
@Injectable()
export class ItemReviewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.dataSource.manager;
  }

  async item(itemId: string, manager?: EntityManager, lock = ''): Promise<ReviewedItemRow | null> {
    const [row] = await this.m(manager).query(
      `SELECT i.id, i.domain, i.criterion, i.status, i.adopted, i.current_version_id, v.version, v.content_hash, v.content
       FROM items i JOIN item_versions v ON v.id = i.current_version_id WHERE i.id = $1 ${lock ? `FOR UPDATE OF i` : ''}`,
      [itemId],
    );
    return row ?? null;
  }

  /** Every item that is not retired, with its current version and the approvals that version has. */
  async queue(): Promise<Array<ReviewedItemRow & { approvals: number; changes_requested: number; reviewer_ids: string[] }>> {
    return this.dataSource.query(
      `SELECT i.id, i.domain, i.criterion, i.status, i.adopted, i.current_version_id, v.version, v.content_hash, v.content,
              count(r.id) FILTER (WHERE r.verdict = 'approve')::int AS approvals,
              count(r.id) FILTER (WHERE r.verdict = 'changes_requested')::int AS changes_requested,
              coalesce(array_agg(r.reviewer_id) FILTER (WHERE r.id IS NOT NULL), '{}') AS reviewer_ids
       FROM items i JOIN item_versions v ON v.id = i.current_version_id
       LEFT JOIN item_reviews r ON r.item_version_id = i.current_version_id
       WHERE i.status <> 'retired'
       GROUP BY i.id, v.id ORDER BY i.id`,
    );
  }

  async reviews(filter: { itemId?: string }, manager?: EntityManager): Promise<ReviewRow[]> {
    return this.m(manager).query(
      `SELECT ${REVIEW_COLUMNS} FROM item_reviews r JOIN item_versions v ON v.id = r.item_version_id JOIN users u ON u.id = r.reviewer_id
       WHERE ($1::text IS NULL OR r.item_id = $1) ORDER BY r.item_id, v.version, r.created_at`,
      [filter.itemId ?? null],
    );
  }

  async comments(filter: { itemId?: string }): Promise<CommentRow[]> {
    return this.dataSource.query(
      `SELECT c.id, c.item_id, c.item_version_id, v.content_hash, v.version, u.full_name AS author_name, u.email AS author_email, c.body, c.created_at
       FROM item_comments c JOIN item_versions v ON v.id = c.item_version_id JOIN users u ON u.id = c.author_id
       WHERE ($1::text IS NULL OR c.item_id = $1) ORDER BY c.item_id, c.created_at`,
      [filter.itemId ?? null],
    );
  }

  async stages(filter: { itemId?: string }, manager?: EntityManager): Promise<StageRow[]> {
    return this.m(manager).query(
      `SELECT s.id, s.item_id, s.item_version_id, v.content_hash, v.version, s.from_status, s.to_status, u.full_name AS actor_name,
              u.email AS actor_email, s.comment, s.created_at
       FROM item_stage_changes s JOIN item_versions v ON v.id = s.item_version_id JOIN users u ON u.id = s.actor_id
       WHERE ($1::text IS NULL OR s.item_id = $1) ORDER BY s.item_id, s.created_at`,
      [filter.itemId ?? null],
    );
  }

  async insertReview(
    tx: EntityManager,
    r: { itemId: string; versionId: string; reviewerId: string; verdict: string; keyConfirmed: boolean; cueingOk: boolean; criterion: string; difficulty: string; comment: string },
  ): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO item_reviews (item_id, item_version_id, reviewer_id, verdict, key_confirmed, cueing_ok, criterion, difficulty, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [r.itemId, r.versionId, r.reviewerId, r.verdict, r.keyConfirmed, r.cueingOk, r.criterion, r.difficulty, r.comment],
    );
    return row.id;
  }

  async insertComment(tx: EntityManager, c: { itemId: string; versionId: string; authorId: string; body: string }): Promise<string> {
    const [row] = await tx.query(`INSERT INTO item_comments (item_id, item_version_id, author_id, body) VALUES ($1, $2, $3, $4) RETURNING id`, [
      c.itemId,
      c.versionId,
      c.authorId,
      c.body,
    ]);
    return row.id;
  }

  async changeStage(tx: EntityManager, s: { itemId: string; versionId: string; from: string; to: string; actorId: string; comment: string }): Promise<void> {
    await tx.query(
      `INSERT INTO item_stage_changes (item_id, item_version_id, from_status, to_status, actor_id, comment) VALUES ($1, $2, $3, $4, $5, $6)`,
      [s.itemId, s.versionId, s.from, s.to, s.actorId, s.comment],
    );
    await tx.query(
      `UPDATE items SET status = $2, updated_at = now(), retired_at = CASE WHEN $2 = 'retired' THEN now() ELSE retired_at END WHERE id = $1`,
      [s.itemId, s.to],
    );
  }

  /** Responses an item version has gathered in finished attempts (its pretest evidence). */
  async responsesTo(versionId: string): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id WHERE q.item_version_id = $1 AND a.status <> 'in_progress'`,
      [versionId],
    );
    return row.n;
  }

  /** The latest stage change of each item whose current version it concerns (the sync keeps these). */
  async currentStageDecisions(manager: EntityManager): Promise<Map<string, { versionId: string; to: string }>> {
    const rows: Array<{ item_id: string; item_version_id: string; to_status: string }> = await manager.query(
      `SELECT DISTINCT ON (item_id) item_id, item_version_id, to_status FROM item_stage_changes ORDER BY item_id, created_at DESC`,
    );
    return new Map(rows.map((r) => [r.item_id, { versionId: r.item_version_id, to: r.to_status }]));
  }
}
