import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/** The auth module's recovery_codes: hashes only (see recovery-codes.ts), single use. */
@Injectable()
export class RecoveryCodesRepository {
  /** Replaces the account's codes (used or not) with a new set. */
  async replaceAll(manager: EntityManager, userId: string, codeHashes: string[]): Promise<void> {
    await this.deleteAll(manager, userId);
    await typed(manager)
      .insertInto('recoveryCodes')
      .values(codeHashes.map((codeHash) => ({ userId, codeHash })))
      .execute();
  }

  async deleteAll(manager: EntityManager, userId: string): Promise<void> {
    await typed(manager).deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
  }

  /** Marks an unused code used; one statement, so a code presented twice at once is accepted once. */
  async consume(manager: EntityManager, userId: string, codeHash: string): Promise<boolean> {
    const result = await typed(manager)
      .updateTable('recoveryCodes')
      .set({ usedAt: sql<Date>`now()` })
      .where('userId', '=', userId)
      .where('codeHash', '=', codeHash)
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async countUnused(manager: EntityManager, userId: string): Promise<number> {
    const row = await typed(manager)
      .selectFrom('recoveryCodes')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('userId', '=', userId)
      .where('usedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
