import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import type { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { Role } from './entities/user.entity';

/** The account as its erasure needs it, locked for the caller's transaction. */
export interface ErasableAccount {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  passwordHash: string;
  deletedAt: Date | null;
}

export const DELETED_NAME = 'Deleted account';
export const deletedAddress = (userId: string) => `deleted-${userId}@invalid`;

/**
 * The users module's part of an account's erasure (GDPR Art. 17): the row stays, because issued
 * certificates, decisions and the audit log refer to its id, but nothing in it names the person any more
 * and nothing in it can sign in.
 */
@Injectable()
export class UserPseudonymisation {
  async lock(tx: EntityManager, userId: string): Promise<ErasableAccount | null> {
    const row = await typed(tx)
      .selectFrom('users')
      .select(['id', 'email', 'fullName', 'roles', 'passwordHash', 'deletedAt'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    return row ? { ...row, roles: row.roles as Role[] } : null;
  }

  /** Other administrators who can still act, locked so that two last administrators cannot both leave at once. */
  async otherActiveAdmins(tx: EntityManager, userId: string): Promise<number> {
    const rows = await typed(tx)
      .selectFrom('users')
      .select('id')
      .where(sql<boolean>`'admin' = ANY(roles)`)
      .where('id', '<>', userId)
      .where('deactivatedAt', 'is', null)
      .where('deletedAt', 'is', null)
      .forUpdate()
      .execute();
    return rows.length;
  }

  /**
   * Address → `deleted-<id>@invalid` (frees the real address), name → "Deleted account", the password
   * replaced by a hash of a secret nobody holds, the TOTP seed and staff roles removed, and name-change
   * requests that no certificate rests on deleted.
   */
  async pseudonymise(tx: EntityManager, userId: string, unusableHash: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({
        email: deletedAddress(userId),
        fullName: DELETED_NAME,
        passwordHash: unusableHash,
        totpSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        roles: ['candidate'],
        deletedAt: sql<Date>`now()`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', userId)
      .execute();
    // Name changes no certificate rests on (pending, cancelled, refused) go; an approved one stays with the
    // certificates re-issued under it.
    await typed(tx).deleteFrom('nameChangeRequests').where('userId', '=', userId).where('status', '<>', 'approved').execute();
  }
}
