import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/** An account_tokens row of purpose 'change_email': the address it would move the account to, and (once spent) the one it replaced. */
export interface EmailChangeToken {
  id: string;
  userId: string;
  newEmail: string;
  replacedEmail: string | null;
  expiresAt: Date;
  usedAt: Date | null;
}

const COLUMNS = ['id', 'userId', 'newEmail', 'replacedEmail', 'expiresAt', 'usedAt'] as const;
const narrow = (row: Omit<EmailChangeToken, 'newEmail'> & { newEmail: string | null }): EmailChangeToken => ({
  ...row,
  newEmail: row.newEmail ?? '',
});

/**
 * The e-mail change rows of account_tokens (the auth module's table). A request writes one row whose
 * hash no link carries (it records the request); the worker then writes the row of the link it mails,
 * so the raw token exists only in that mail, as for the other account links.
 */
@Injectable()
export class EmailChangeTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager | null, t: { userId: string; newEmail: string; tokenHash: string; ttlSeconds: number }): Promise<string> {
    const row = await typed(tx ?? this.dataSource)
      .insertInto('accountTokens')
      .values({
        userId: t.userId,
        purpose: 'change_email',
        newEmail: t.newEmail,
        tokenHash: t.tokenHash,
        expiresAt: sql<Date>`now() + make_interval(secs => ${t.ttlSeconds})`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async findById(id: string): Promise<EmailChangeToken | null> {
    const row = await typed(this.dataSource)
      .selectFrom('accountTokens')
      .select(COLUMNS)
      .where('id', '=', id)
      .where('purpose', '=', 'change_email')
      .executeTakeFirst();
    return row ? narrow(row) : null;
  }

  /** Locked, so that two uses of one link are decided one after the other. */
  async findForUpdate(tx: EntityManager, tokenHash: string): Promise<EmailChangeToken | null> {
    const row = await typed(tx)
      .selectFrom('accountTokens')
      .select(COLUMNS)
      .where('tokenHash', '=', tokenHash)
      .where('purpose', '=', 'change_email')
      .forUpdate()
      .executeTakeFirst();
    return row ? narrow(row) : null;
  }

  /** Spends every unused link of the purposes given (a newer request, or a confirmed change, ends the older links). */
  async useAll(tx: EntityManager, userId: string, purposes: Array<'change_email' | 'verify_email' | 'reset_password'>): Promise<void> {
    await typed(tx)
      .updateTable('accountTokens')
      .set({ usedAt: sql<Date>`now()` })
      .where('userId', '=', userId)
      .where('purpose', 'in', purposes)
      .where('usedAt', 'is', null)
      .execute();
  }

  async recordReplacedEmail(tx: EntityManager, id: string, replacedEmail: string): Promise<void> {
    await typed(tx).updateTable('accountTokens').set({ replacedEmail }).where('id', '=', id).execute();
  }
}
