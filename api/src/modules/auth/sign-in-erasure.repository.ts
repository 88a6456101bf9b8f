import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import type { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/**
 * The auth module's part of an account's erasure: every way to sign in (passkeys, recovery codes, e-mailed
 * links, pending WebAuthn challenges) and the session records with their addresses and user agents.
 * Call after `SessionsRepository.endAllForUser`, in the same transaction.
 */
@Injectable()
export class SignInErasure {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async eraseFor(tx: EntityManager, userId: string): Promise<void> {
    const db = typed(tx);
    await db.deleteFrom('passkeys').where('userId', '=', userId).execute();
    await db.deleteFrom('webauthnChallenges').where('userId', '=', userId).execute();
    await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
    await db.deleteFrom('accountTokens').where('userId', '=', userId).execute();
    await db.deleteFrom('refreshTokens').where('userId', '=', userId).execute();
    await db.deleteFrom('sessions').where('userId', '=', userId).execute();
  }

  /**
   * Retention: deletes up to `limit` sessions that ended, or ran past their lifetime, more than `days`
   * ago (their refresh tokens go with them); answers how many.
   */
  async purgeEndedSessions(days: number, limit: number): Promise<number> {
    const cutoff = sql<Date>`now() - make_interval(days => ${days})`;
    const result = await typed(this.dataSource)
      .deleteFrom('sessions')
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('sessions')
          .select('id')
          .where((w) => w.or([w('endedAt', '<', cutoff), w('expiresAt', '<', cutoff)]))
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
