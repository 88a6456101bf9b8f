import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

export type AccountTokenPurpose = 'verify_email' | 'reset_password';

/** A mailed token as stored: only its SHA-256 is kept. */
export interface AccountToken {
  id: string;
  userId: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** The single-use links mailed for e-mail verification and password reset (account_tokens). */
@Injectable()
export class AccountTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(userId: string, purpose: AccountTokenPurpose, tokenHash: string, ttlSeconds: number): Promise<string> {
    const row = await typed(this.dataSource)
      .insertInto('accountTokens')
      .values({ userId, purpose, tokenHash, expiresAt: sql<Date>`now() + make_interval(secs => ${ttlSeconds})` })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** The token with this hash and purpose, locked so that two uses of one link are decided one after the other. */
  async findForUpdate(tx: EntityManager, tokenHash: string, purpose: AccountTokenPurpose): Promise<AccountToken | null> {
    return (
      (await typed(tx)
        .selectFrom('accountTokens')
        .select(['id', 'userId', 'expiresAt', 'usedAt'])
        .where('tokenHash', '=', tokenHash)
        .where('purpose', '=', purpose)
        .forUpdate()
        .executeTakeFirst()) ?? null
    );
  }

  /**
   * Spends every unused token of the purpose and answers how many: once one link has done its work, or
   * the password has been changed or reset otherwise, the others in the inbox stop working too.
   */
  async useAll(tx: EntityManager, userId: string, purpose: AccountTokenPurpose): Promise<number> {
    const result = await typed(tx)
      .updateTable('accountTokens')
      .set({ usedAt: sql<Date>`now()` })
      .where('userId', '=', userId)
      .where('purpose', '=', purpose)
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** The round trips the known-address path makes, for an unknown address (forgot-password must not tell them apart). */
  async equivalentNoop(tx: EntityManager): Promise<void> {
    await sql`SELECT 1`.execute(typed(tx));
    await sql`SELECT 1`.execute(typed(tx));
  }
}
