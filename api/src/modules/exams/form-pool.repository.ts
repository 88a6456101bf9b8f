import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { executePrepared, typed } from '../../infrastructure/database/kysely';
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

  /**
   * What a form is drawn from, in one statement: each domain's active pool in order of preference (unseen
   * before seen, then least exposed, random among near-equals: the jitter is under two uses) and the
   * least-exposed pretest items of any domain (unseen first, `pretestCount * 4` to choose among). "Seen":
   * shown to the candidate in an earlier attempt. The scored part walks items_draw_idx from the front
   * (PostgreSQL inlines the reader's subquery), so a huge pool costs no more than a small one.
   */
  async drawPool(
    tx: EntityManager,
    userId: string,
    counts: Array<{ domain: string; count: number }>,
    pretestCount: number,
  ): Promise<{ scored: Map<string, PoolItem[]>; pretest: PoolItem[] }> {
    const db = this.db(tx);
    const items = questionBankReader.items(db);
    const { rows } = await executePrepared(
      db,
      'draw_pool',
      sql<CandidateRow & { pretest: boolean }>`
      WITH seen AS (
        SELECT coalesce(array_agg(DISTINCT q.item_id), '{}') AS ids
          FROM attempt_questions q JOIN attempts a ON a.id = q.attempt_id
         WHERE a.user_id = ${userId})
      SELECT false AS pretest, d.domain, c.id, c.current_version_id, c.criterion, c.difficulty, c.seen
        FROM seen,
             unnest(${counts.map((c) => c.domain)}::text[], ${counts.map((c) => c.count)}::int[]) AS d(domain, n)
        CROSS JOIN LATERAL (
          SELECT w.*, w.id = ANY(seen.ids) AS seen FROM (
            SELECT i.id, i.current_version_id, i.criterion, i.difficulty, i.exposure_count FROM ${items} i
            WHERE i.domain = d.domain AND i.status = 'active'
            ORDER BY i.exposure_count LIMIT d.n * 12 + 24
          ) w
          ORDER BY w.id = ANY(seen.ids), w.exposure_count + random() * 1.5
        ) c
      UNION ALL
      SELECT * FROM (
        SELECT true AS pretest, i.domain, i.id, i.current_version_id, i.criterion, i.difficulty, i.id = ANY(seen.ids) AS seen
          FROM seen, ${items} i
         WHERE i.status = 'pretest' AND ${pretestCount}::int > 0
         ORDER BY i.id = ANY(seen.ids), i.exposure_count + random() * 1.5
         LIMIT ${pretestCount * 4}::int) p`,
    );
    const scored = new Map<string, PoolItem[]>();
    const pretest: PoolItem[] = [];
    for (const r of rows) {
      if (r.pretest) pretest.push(toPoolItem(r));
      else scored.set(r.domain, [...(scored.get(r.domain) ?? []), toPoolItem(r)]);
    }
    return { scored, pretest };
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
}
