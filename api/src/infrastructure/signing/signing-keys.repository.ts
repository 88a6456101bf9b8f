import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { JWK } from 'jose';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { advisoryXactLock, typed } from '../database/kysely';
import type { SigningKeys as SigningKeysTable } from '../database/schema.generated';

export type SigningKeyStatus = 'current' | 'previous' | 'retired';

export type SigningKeyRow = Omit<Selectable<SigningKeysTable>, 'publicJwk' | 'status'> & { publicJwk: JWK; status: SigningKeyStatus };

// Serialises key creation, rotation and retirement across every API and worker replica.
const SIGNING_KEYS_LOCK = 7_346_051;

const toRow = (row: Selectable<SigningKeysTable>): SigningKeyRow => ({
  ...row,
  publicJwk: row.publicJwk as unknown as JWK,
  status: row.status as SigningKeyStatus,
});

@Injectable()
export class SigningKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  lock(tx: EntityManager): Promise<void> {
    return advisoryXactLock(tx, SIGNING_KEYS_LOCK);
  }

  async current(tx?: EntityManager): Promise<SigningKeyRow | null> {
    const row = await this.db(tx).selectFrom('signingKeys').selectAll().where('status', '=', 'current').executeTakeFirst();
    return row ? toRow(row) : null;
  }

  async find(tx: EntityManager, kid: string): Promise<SigningKeyRow | null> {
    const row = await this.db(tx).selectFrom('signingKeys').selectAll().where('kid', '=', kid).forUpdate().executeTakeFirst();
    return row ? toRow(row) : null;
  }

  async status(kid: string): Promise<SigningKeyStatus | null> {
    const row = await this.db().selectFrom('signingKeys').select('status').where('kid', '=', kid).executeTakeFirst();
    return (row?.status as SigningKeyStatus | undefined) ?? null;
  }

  async count(tx: EntityManager): Promise<number> {
    const row = await this.db(tx)
      .selectFrom('signingKeys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The keys a verifier may use: current and previous, oldest first. */
  async published(): Promise<SigningKeyRow[]> {
    const rows = await this.db()
      .selectFrom('signingKeys')
      .selectAll()
      .where('status', 'in', ['current', 'previous'])
      .orderBy('createdAt')
      .orderBy('kid')
      .execute();
    return rows.map(toRow);
  }

  async insert(
    tx: EntityManager,
    key: { kid: string; alg: string; publicJwk: JWK; privateKeySealed: string; status: 'current' | 'previous'; createdAt?: Date },
  ): Promise<void> {
    await this.db(tx)
      .insertInto('signingKeys')
      .values({ ...key, publicJwk: JSON.stringify(key.publicJwk), createdAt: key.createdAt ?? sql<Date>`now()` })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
  }

  async demoteCurrent(tx: EntityManager): Promise<void> {
    await this.db(tx).updateTable('signingKeys').set({ status: 'previous' }).where('status', '=', 'current').execute();
  }

  async markRetired(tx: EntityManager, kid: string): Promise<void> {
    await this.db(tx)
      .updateTable('signingKeys')
      .set({ status: 'retired', retiredAt: sql<Date>`now()` })
      .where('kid', '=', kid)
      .execute();
  }
}
