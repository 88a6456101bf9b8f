import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { typed } from '../../infrastructure/database/kysely';

/** A message as the person's export lists it. */
export interface StoredMessage {
  id: string;
  template: string;
  subject: string;
  createdAt: Date;
  sentAt: Date | null;
  storedFile: string | null;
}

/**
 * The notifications module's part of a person's data rights: the mail the platform sent them (the
 * `notifications` rows and, with the file transport, the stored messages under MAIL_DIR) for the
 * export, its erasure with their account, and its retention (RETENTION_MAIL_DAYS).
 */
@Injectable()
export class StoredMail {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async sentTo(address: string): Promise<StoredMessage[]> {
    return typed(this.dataSource)
      .selectFrom('notifications')
      .select(['id', 'template', 'subject', 'createdAt', 'sentAt', 'storedFile'])
      .where('recipient', '=', address)
      .orderBy('createdAt')
      .execute();
  }

  /** The stored message file, or null (SMTP transport, or erased). */
  async read(storedFile: string): Promise<Buffer | null> {
    return fs.readFile(this.fileOf(storedFile)).catch(() => null);
  }

  /**
   * In the erasure's transaction: the rows stop naming the address (they are re-addressed to the
   * pseudonymous one and lose their subject), so the file clean-up after commit can find them by it.
   */
  async readdress(tx: EntityManager, from: string, to: string): Promise<void> {
    await typed(tx).updateTable('notifications').set({ recipient: to, subject: '(erased)' }).where('recipient', '=', from).execute();
  }

  /** Deletes every message to the address, files first; answers how many. */
  async eraseSentTo(address: string): Promise<number> {
    const rows = await typed(this.dataSource)
      .selectFrom('notifications')
      .select(['id', 'storedFile'])
      .where('recipient', '=', address)
      .execute();
    return this.erase(rows);
  }

  /** Deletes up to `limit` messages older than `days`, files first; answers how many. */
  async eraseOlderThan(days: number, limit: number): Promise<number> {
    const rows = await typed(this.dataSource)
      .selectFrom('notifications')
      .select(['id', 'storedFile'])
      .where('createdAt', '<', sql<Date>`now() - make_interval(days => ${days})`)
      .orderBy('createdAt')
      .limit(limit)
      .execute();
    return this.erase(rows);
  }

  private async erase(rows: Array<{ id: string; storedFile: string | null }>): Promise<number> {
    if (!rows.length) return 0;
    // The file goes first: a failure leaves the row, so the next run finds the file again.
    for (const r of rows) if (r.storedFile) await fs.rm(this.fileOf(r.storedFile), { force: true });
    await typed(this.dataSource)
      .deleteFrom('notifications')
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows.length;
  }

  private fileOf(storedFile: string): string {
    return path.join(this.config.mailDir, path.basename(storedFile));
  }
}
