import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

/**
 * The auth module's part of an account's erasure: every way to sign in (passkeys, recovery codes, e-mailed
 * links, pending WebAuthn challenges) and the session records with their addresses and user agents.
 * Call after `SessionsRepository.endAllForUser`, in the same transaction.
 */
@Injectable()
export class SignInErasure {
  async eraseFor(tx: EntityManager, userId: string): Promise<void> {
    const db = typed(tx);
    await db.deleteFrom('passkeys').where('userId', '=', userId).execute();
    await db.deleteFrom('webauthnChallenges').where('userId', '=', userId).execute();
    await db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
    await db.deleteFrom('accountTokens').where('userId', '=', userId).execute();
    await db.deleteFrom('refreshTokens').where('userId', '=', userId).execute();
    await db.deleteFrom('sessions').where('userId', '=', userId).execute();
  }
}
