import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { DataExports } from '../../infrastructure/database/schema.generated';

export type DataExportRow = Selectable<DataExports>;
export type DataExportStatus = 'queued' | 'ready' | 'failed' | 'expired';

/** data_exports (the "Download my data" requests) and account_deletions (erased accounts). */
@Injectable()
export class DataRightsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** A new queued export; null when one is queued already (the partial unique index decides a race). */
  async insertExport(tx: EntityManager, userId: string): Promise<DataExportRow | null> {
    return (
      (await this.db(tx)
        .insertInto('dataExports')
        .values({ userId })
        .onConflict((oc) => oc.column('userId').where('status', '=', 'queued').doNothing())
        .returningAll()
        .executeTakeFirst()) ?? null
    );
  }

  async latestExports(userId: string, limit: number): Promise<DataExportRow[]> {
    return this.db().selectFrom('dataExports').selectAll().where('userId', '=', userId).orderBy('createdAt', 'desc').limit(limit).execute();
  }

  async findExport(id: string, tx?: EntityManager): Promise<DataExportRow | null> {
    return (await this.db(tx).selectFrom('dataExports').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  /** The export's row locked for the caller's transaction (a build and a download are decided one at a time). */
  async lockExport(tx: EntityManager, id: string): Promise<DataExportRow | null> {
    return (await this.db(tx).selectFrom('dataExports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) ?? null;
  }

  async markReady(tx: EntityManager, id: string, file: { storageKey: string; sizeBytes: number; tokenHash: string; ttlHours: number }) {
    await this.db(tx)
      .updateTable('dataExports')
      .set({
        status: 'ready',
        storageKey: file.storageKey,
        sizeBytes: file.sizeBytes,
        tokenHash: file.tokenHash,
        completedAt: sql<Date>`now()`,
        expiresAt: sql<Date>`now() + make_interval(hours => ${file.ttlHours})`,
      })
      .where('id', '=', id)
      .execute();
  }

  /** A new link for a ready export whose mail was not confirmed sent (the previous raw token is lost with the crashed run). */
  async replaceToken(tx: EntityManager, id: string, tokenHash: string): Promise<void> {
    await this.db(tx).updateTable('dataExports').set({ tokenHash }).where('id', '=', id).execute();
  }

  async markMailed(id: string): Promise<void> {
    await this.db()
      .updateTable('dataExports')
      .set({ mailedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async markFailed(id: string): Promise<void> {
    await this.db()
      .updateTable('dataExports')
      .set({ status: 'failed', completedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
  }

  async markDownloaded(tx: EntityManager, id: string): Promise<void> {
    await this.db(tx)
      .updateTable('dataExports')
      .set({ downloadedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Ready exports past their expiry (or every ready one of `userId`), whose files are to be deleted. */
  async exportsToExpire(limit: number, userId?: string): Promise<Array<{ id: string; storageKey: string | null }>> {
    let query = this.db().selectFrom('dataExports').select(['id', 'storageKey']).where('status', '=', 'ready');
    query = userId ? query.where('userId', '=', userId) : query.where('expiresAt', '<=', sql<Date>`now()`);
    return query.orderBy('expiresAt').limit(limit).execute();
  }

  async markExpired(id: string): Promise<void> {
    await this.db().updateTable('dataExports').set({ status: 'expired', tokenHash: null }).where('id', '=', id).execute();
  }

  async insertDeletion(tx: EntityManager, userId: string): Promise<void> {
    await this.db(tx).insertInto('accountDeletions').values({ userId }).execute();
  }

  async markFilesErased(userId: string): Promise<void> {
    await this.db()
      .updateTable('accountDeletions')
      .set({ filesErasedAt: sql<Date>`now()` })
      .where('userId', '=', userId)
      .execute();
  }
}
