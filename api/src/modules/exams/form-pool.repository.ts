import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { questionBankReader } from '../question-bank/question-bank.reader';
import type { Difficulty, PoolItem } from './form-draw';

interface CandidateRow {
  domain: string;
  id: string;
  currentVersionId: string;
  criterion: string;
  difficulty: Difficulty;
  seen: boolean;
}

const toPoolItem = (r: CandidateRow): PoolItem => ({
  itemId: r.id,
  versionId: r.currentVersionId,
  domain: r.domain,
  criterion: r.criterion,
  difficulty: r.difficulty,
  seen: r.seen,
});

/** What a form is drawn from: the bank's items (through the question bank's reader) and what the candidate saw before. */
@Injectable()
export class FormPoolRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Items the candidate was shown in earlier attempts, to avoid while the pool allows. */
  async itemsSeenBy(userId: string, tx?: EntityManager): Promise<string[]> {
    const rows = await this.db(tx)
      .selectFrom('attemptQuestions as q')
      .innerJoin('attempts as a', 'a.id', 'q.attemptId')
      .select('q.itemId')
      .distinct()
      .where('a.userId', '=', userId)
      .execute();
    return rows.map((r) => r.itemId);
  }

  /**
   * Each domain's active pool in order of preference: unseen before seen, then least exposed, random
   * among near-equals (the jitter is under two uses). The inner query walks items_draw_idx from the
   * front (PostgreSQL inlines the reader's subquery), so a huge pool costs no more than a small one.
   */
  async drawCandidates(
    tx: EntityManager,
    counts: Array<{ domain: string; count: number }>,
    seen: string[],
  ): Promise<Map<string, PoolItem[]>> {
    const db = this.db(tx);
    const { rows } = await sql<CandidateRow>`
      SELECT d.domain, c.id, c.current_version_id, c.criterion, c.difficulty, c.seen
        FROM unnest(${counts.map((c) => c.domain)}::text[], ${counts.map((c) => c.count)}::int[]) AS d(domain, n)
        CROSS JOIN LATERAL (
          SELECT w.*, w.id = ANY(${seen}::text[]) AS seen FROM (
            SELECT i.id, i.current_version_id, i.criterion, i.difficulty, i.exposure_count FROM ${questionBankReader.items(db)} i
            WHERE i.domain = d.domain AND i.status = 'active'
            ORDER BY i.exposure_count LIMIT d.n * 12 + 24
          ) w
          ORDER BY w.id = ANY(${seen}::text[]), w.exposure_count + random() * 1.5
        ) c`.execute(db);
    const byDomain = new Map<string, PoolItem[]>();
    for (const r of rows) byDomain.set(r.domain, [...(byDomain.get(r.domain) ?? []), toPoolItem(r)]);
    return byDomain;
  }

  async pretestPoolSize(): Promise<number> {
    const db = this.db();
    const row = await db
      .selectFrom(questionBankReader.items(db).as('i'))
      .select(sql<number>`count(*)::int`.as('n'))
      .where('i.status', '=', 'pretest')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** The least-exposed pretest items (any domain), unseen first, a few more than needed to choose among. */
  async pretestCandidates(tx: EntityManager, count: number, seen: string[]): Promise<PoolItem[]> {
    if (count <= 0) return [];
    const db = this.db(tx);
    const rows = await db
      .selectFrom(questionBankReader.items(db).as('i'))
      .select([
        'i.domain',
        'i.id',
        'i.currentVersionId',
        'i.criterion',
        'i.difficulty',
        sql<boolean>`i.id = ANY(${seen}::text[])`.as('seen'),
      ])
      .where('i.status', '=', 'pretest')
      .orderBy(sql`i.id = ANY(${seen}::text[])`)
      .orderBy(sql`i.exposure_count + random() * 1.5`)
      .limit(count * 4)
      .execute();
    return rows.map((r) => toPoolItem({ ...r, currentVersionId: r.currentVersionId as string, difficulty: r.difficulty as Difficulty }));
  }

  /** The option ids of each item version, as the form shuffles them. */
  async optionIdsOf(tx: EntityManager, versionIds: string[]): Promise<Map<string, string[]>> {
    const db = this.db(tx);
    const rows = await db
      .selectFrom(questionBankReader.itemVersions(db).as('v'))
      .select(['v.id', sql<string[]>`jsonb_path_query_array(v.content, '$.options[*].id')`.as('ids')])
      .where(sql<boolean>`v.id = ANY(${versionIds}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.id, r.ids]));
  }
}
