import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../../infrastructure/database/kysely';
import type { ItemContent } from '../../question-bank/item-content';
import { questionBankReader } from '../../question-bank/question-bank.reader';

/** One question of one finished attempt: who, which item version, scored or pretest, and the option chosen (its file letter). */
export interface ExamResponse {
  /** The attempt: a candidate who sat twice in one window counts as two sittings. */
  candidate: string;
  userId: string;
  version: string;
  scored: boolean;
  chosen: string | null;
}

/** An item version shown to candidates, with its item's status, domain and exposure. */
export interface AnalysedVersion {
  id: string;
  itemId: string;
  version: number;
  content: ItemContent;
  status: string;
  domain: string;
  /** Whether this is the item's current version. */
  current: boolean;
  exposureCount: number;
}

/** Reads the responses of finished attempts for item analysis; writes only the candidates' declared attributes. */
@Injectable()
export class ExamAnalysisRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Every question of every finished attempt in the window (all windows when null), in the order the database returns them. */
  async responses(windowId: string | null): Promise<ExamResponse[]> {
    const { rows } = await sql<ExamResponse>`
      SELECT a.id AS candidate, a.user_id, q.item_version_id AS version, q.scored,
              (SELECT o->>'source' FROM jsonb_array_elements(q.options) o WHERE o->>'id' = ans.option_id::text) AS chosen
       FROM attempts a
       JOIN attempt_questions q ON q.attempt_id = a.id
       LEFT JOIN attempt_answers ans ON ans.question_id = q.id
       WHERE a.exam_code = 'AIDA' AND a.status <> 'in_progress' AND (${windowId}::uuid IS NULL OR a.window_id = ${windowId})`.execute(
      this.db(),
    );
    return rows;
  }

  async versions(ids: string[]): Promise<AnalysedVersion[]> {
    const db = this.db();
    return db
      .selectFrom(questionBankReader.itemVersions(db).as('v'))
      .innerJoin(questionBankReader.items(db).as('i'), 'i.id', 'v.itemId')
      .select((eb) => [
        'v.id',
        'v.itemId',
        'v.version',
        eb.ref('v.content').$castTo<ItemContent>().as('content'),
        'i.status',
        'i.domain',
        eb('i.currentVersionId', '=', eb.ref('v.id')).$castTo<boolean>().as('current'),
        'i.exposureCount',
      ])
      .where('v.id', '=', sql<string>`ANY(${ids}::uuid[])`)
      .execute();
  }

  /** The declared value of one attribute for each of the given candidates who declared it. */
  async attributeValues(attribute: string, candidates: string[]): Promise<Map<string, string>> {
    const rows = await this.db()
      .selectFrom('candidateAttributes')
      .select(['userId', 'value'])
      .where('attribute', '=', attribute)
      .where('userId', '=', sql<string>`ANY(${candidates}::uuid[])`)
      .execute();
    return new Map(rows.map((r) => [r.userId, r.value]));
  }

  async declared(userId: string): Promise<Record<string, string>> {
    const rows = await this.db().selectFrom('candidateAttributes').select(['attribute', 'value']).where('userId', '=', userId).execute();
    return Object.fromEntries(rows.map((r) => [r.attribute, r.value]));
  }

  async declare(userId: string, changes: Array<{ attribute: string; value: string | null }>): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      for (const { attribute, value } of changes) {
        if (value === null) {
          await this.db(tx).deleteFrom('candidateAttributes').where('userId', '=', userId).where('attribute', '=', attribute).execute();
        } else {
          await this.db(tx)
            .insertInto('candidateAttributes')
            .values({ userId, attribute, value })
            .onConflict((oc) => oc.columns(['userId', 'attribute']).doUpdateSet({ value, updatedAt: sql<Date>`now()` }))
            .execute();
        }
      }
    });
  }
}
