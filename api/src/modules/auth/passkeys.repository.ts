import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';

export type ChallengePurpose = 'register' | 'sign_in' | 'step_up';

/** A passkey as the auth module keeps it: the public key and the authenticator's last signature counter. */
export interface StoredPasskey {
  id: string;
  userId: string;
  credentialId: string;
  publicKey: Buffer;
  counter: number;
  transports: string[];
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The auth module's passkeys and webauthn_challenges. */
@Injectable()
export class PasskeysRepository {
  listFor(manager: EntityManager, userId: string): Promise<StoredPasskey[]> {
    return this.select(manager)
      .where('userId', '=', userId)
      .orderBy('createdAt')
      .orderBy('id')
      .execute()
      .then((rows) => rows.map(toPasskey));
  }

  async hasAny(manager: EntityManager, userId: string): Promise<boolean> {
    const row = await typed(manager).selectFrom('passkeys').select('id').where('userId', '=', userId).limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async findByCredentialId(manager: EntityManager, credentialId: string): Promise<StoredPasskey | null> {
    const row = await this.select(manager).where('credentialId', '=', credentialId).executeTakeFirst();
    return row ? toPasskey(row) : null;
  }

  /** By credential id, its row locked until the caller's transaction ends (two uses of one passkey are judged one after the other). */
  async lockByCredentialId(manager: EntityManager, credentialId: string): Promise<StoredPasskey | null> {
    const row = await this.select(manager).where('credentialId', '=', credentialId).forUpdate().executeTakeFirst();
    return row ? toPasskey(row) : null;
  }

  /** The new passkey, or null when that credential is registered already (to this or another account). */
  async insert(
    manager: EntityManager,
    passkey: Pick<StoredPasskey, 'userId' | 'credentialId' | 'publicKey' | 'counter' | 'transports' | 'name'>,
  ): Promise<StoredPasskey | null> {
    const row = await typed(manager)
      .insertInto('passkeys')
      .values(passkey)
      .onConflict((oc) => oc.column('credentialId').doNothing())
      .returningAll()
      .executeTakeFirst();
    return row ? toPasskey(row) : null;
  }

  async recordUse(manager: EntityManager, id: string, counter: number): Promise<void> {
    await typed(manager)
      .updateTable('passkeys')
      .set({ counter, lastUsedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** Removes one of the user's passkeys and answers it; null when the user has none with that id. */
  async delete(manager: EntityManager, userId: string, id: string): Promise<StoredPasskey | null> {
    const row = await typed(manager)
      .deleteFrom('passkeys')
      .where('id', '=', id)
      .where('userId', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row ? toPasskey(row) : null;
  }

  /** Stores a challenge handed to a browser; expired ones are cleared on the way (they can never be used). */
  async insertChallenge(
    manager: EntityManager,
    challenge: { userId: string | null; purpose: ChallengePurpose; challenge: string; ttlSeconds: number },
  ): Promise<string> {
    await typed(manager)
      .deleteFrom('webauthnChallenges')
      .where('expiresAt', '<', sql<Date>`now()`)
      .execute();
    const row = await typed(manager)
      .insertInto('webauthnChallenges')
      .values({
        userId: challenge.userId,
        purpose: challenge.purpose,
        challenge: challenge.challenge,
        expiresAt: sql<Date>`now() + make_interval(secs => ${challenge.ttlSeconds})`,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * Marks an unexpired, unused challenge used and answers it; null when there is none that matches.
   * One statement, so a challenge presented twice at once is accepted once. Found by id (sign-in,
   * step-up) or, for a registration, by the challenge the browser signed (the user has no id for it).
   */
  async consumeChallenge(
    manager: EntityManager,
    match: { purpose: ChallengePurpose; userId: string | null } & ({ id: string } | { challenge: string }),
  ): Promise<string | null> {
    const row = await typed(manager)
      .updateTable('webauthnChallenges')
      .set({ usedAt: sql<Date>`now()` })
      .where('purpose', '=', match.purpose)
      .where((eb) => (match.userId === null ? eb('userId', 'is', null) : eb('userId', '=', match.userId)))
      .where('usedAt', 'is', null)
      .where('expiresAt', '>', sql<Date>`now()`)
      .$if('id' in match, (qb) => qb.where('id', '=', (match as { id: string }).id))
      .$if('challenge' in match, (qb) => qb.where('challenge', '=', (match as { challenge: string }).challenge))
      .returning('challenge')
      .executeTakeFirst();
    return row?.challenge ?? null;
  }

  private select(manager: EntityManager) {
    return typed(manager)
      .selectFrom('passkeys')
      .select(['id', 'userId', 'credentialId', 'publicKey', 'counter', 'transports', 'name', 'createdAt', 'lastUsedAt']);
  }
}

function toPasskey(row: Omit<StoredPasskey, 'counter'> & { counter: string }): StoredPasskey {
  return { ...row, counter: Number(row.counter) };
}
