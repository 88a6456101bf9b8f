import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Insertable, type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { advisoryXactLock, typed } from '../../infrastructure/database/kysely';
import type { BankSyncs, Items, ItemVersions, Json } from '../../infrastructure/database/schema.generated';
import type { ItemContent } from './item-content';

/** What the sync compares a bank item with. */
export type SyncedItem = Pick<Selectable<Items>, 'id' | 'status' | 'adopted' | 'currentVersionId' | 'domain'>;

/** A stored version of an item, without its content (the hash stands for it). */
export type SyncedVersion = Pick<Selectable<ItemVersions>, 'id' | 'itemId' | 'version' | 'contentHash'>;

/** An item as the bank files define it. */
export type BankItemRow = Pick<Insertable<Items>, 'id' | 'domain' | 'criterion' | 'difficulty' | 'status' | 'sourceFile' | 'adopted'>;

/** How many items one sync added, changed, retired and left alone. */
export type BankSyncCounts = Pick<Insertable<BankSyncs>, 'added' | 'changed' | 'retired' | 'unchanged'>;

/** The question bank as the sync from the bank files writes it: items, their versions and the sync log. */
@Injectable()
export class BankSyncRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Takes a transaction-scoped advisory lock: held until the caller's transaction ends. */
  lock(tx: EntityManager, key: number): Promise<void> {
    return advisoryXactLock(tx, key);
  }

  async items(tx: EntityManager): Promise<SyncedItem[]> {
    return this.db(tx).selectFrom('items').select(['id', 'status', 'adopted', 'currentVersionId', 'domain']).execute();
  }

  async versions(tx: EntityManager): Promise<SyncedVersion[]> {
    return this.db(tx).selectFrom('itemVersions').select(['id', 'itemId', 'version', 'contentHash']).execute();
  }

  async insertItem(tx: EntityManager, item: BankItemRow): Promise<void> {
    await this.db(tx).insertInto('items').values(item).execute();
  }

  /** Returns the new version's id. */
  async insertVersion(tx: EntityManager, itemId: string, version: number, contentHash: string, content: ItemContent): Promise<string> {
    const row = await this.db(tx)
      .insertInto('itemVersions')
      .values({ itemId, version, contentHash, content: content as unknown as Json })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Points a new item at its first version; a retired item is retired from now. */
  async setFirstVersion(tx: EntityManager, itemId: string, versionId: string, status: string): Promise<void> {
    await this.db(tx)
      .updateTable('items')
      .set({ currentVersionId: versionId, retiredAt: status === 'retired' ? sql<Date>`now()` : null })
      .where('id', '=', itemId)
      .execute();
  }

  /** Rewrites an item from the files; a retired item keeps the date it was first retired. */
  async updateItem(tx: EntityManager, item: BankItemRow & { currentVersionId: string | null }): Promise<void> {
    const { id, ...values } = item;
    await this.db(tx)
      .updateTable('items')
      .set((eb) => ({
        ...values,
        updatedAt: sql<Date>`now()`,
        retiredAt: values.status === 'retired' ? eb.fn.coalesce('retiredAt', sql<Date>`now()`) : null,
      }))
      .where('id', '=', id)
      .execute();
  }

  async retire(tx: EntityManager, itemIds: string[]): Promise<void> {
    if (!itemIds.length) return;
    await this.db(tx)
      .updateTable('items')
      .set({ status: 'retired', retiredAt: sql<Date>`now()`, updatedAt: sql<Date>`now()` })
      .where('id', 'in', itemIds)
      .execute();
  }

  async recordSync(tx: EntityManager, counts: BankSyncCounts): Promise<void> {
    await this.db(tx).insertInto('bankSyncs').values(counts).execute();
  }
}
