import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { questionBankReader } from '../question-bank/question-bank.reader';

/** What a candidate is shown of an item version: its stem and its options in authored order. */
export interface VersionContent {
  stem: string;
  options: Array<{ id: string; text: string }>;
}

// More versions than any bank holds; past it the memory starts over rather than grow without bound.
const MAX_VERSIONS = 50_000;

/**
 * Item versions are immutable (a trigger refuses any change to a stored version), so each replica reads a
 * version's stem and options once and keeps them: a start draws its form and answers with the questions
 * without reading the versions again. Never the key or the rationale: only what a candidate may see.
 */
@Injectable()
export class ItemVersionContents {
  private readonly known = new Map<string, VersionContent>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `tx`: the caller's transaction, when it is in one. It must be passed: a transaction that waited for a
   * second pool connection could wait forever once every connection is held by such a transaction.
   */
  /** Drops what this replica holds (tests use it to start from a cold memory). */
  forgetAll(): void {
    this.known.clear();
  }

  async of(versionIds: string[], tx?: EntityManager): Promise<Map<string, VersionContent>> {
    const missing = [...new Set(versionIds.filter((id) => !this.known.has(id)))];
    if (missing.length) {
      const db = typed(tx ?? this.dataSource);
      const rows = await db
        .selectFrom(questionBankReader.itemVersions(db).as('v'))
        .select([
          'v.id',
          sql<string>`v.content->>'stem'`.as('stem'),
          sql<VersionContent['options']>`(SELECT coalesce(jsonb_agg(jsonb_build_object('id', o->>'id', 'text', o->>'text')), '[]')
                FROM jsonb_array_elements(v.content->'options') AS o)`.as('options'),
        ])
        .where(sql<boolean>`v.id = ANY(${missing}::uuid[])`)
        .execute();
      if (this.known.size + rows.length > MAX_VERSIONS) this.known.clear();
      for (const r of rows) this.known.set(r.id, { stem: r.stem, options: r.options });
    }
    return new Map(versionIds.flatMap((id) => (this.known.has(id) ? [[id, this.known.get(id)!] as const] : [])));
  }
}
