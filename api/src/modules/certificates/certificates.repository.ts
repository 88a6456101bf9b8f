import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Insertable, type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { usersReader } from '../users/users.reader';
import { typed } from '../../infrastructure/database/kysely';
import type { Certificates } from '../../infrastructure/database/schema.generated';
import { certificateLifecycle, type CertificateState } from './certificate-lifecycle';

/** A certificate as stored, its status narrowed to the lifecycle's states. */
export type Certificate = Omit<Selectable<Certificates>, 'status'> & { status: CertificateState };

/** What issuing decides; the database fills in the id, issue date, status and artifacts. */
export type NewCertificate = Pick<
  Insertable<Certificates>,
  'number' | 'userId' | 'credential' | 'sourceType' | 'sourceId' | 'holderName' | 'psfVersion' | 'statusListId' | 'statusListIndex'
> & { validityDays: number };

export interface CredentialEventRef {
  id: string;
  userId: string;
  credential: string;
  sourceType: string;
  sourceId: string;
}

export interface Holder {
  email: string;
  fullName: string;
}

export const CURRENT_STATUS_LIST = 1;

const toCertificate = (row: Selectable<Certificates>): Certificate => ({ ...row, status: certificateLifecycle.parse(row.status) });
const orNull = (row: Selectable<Certificates> | undefined): Certificate | null => (row ? toCertificate(row) : null);

@Injectable()
export class CertificatesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async findById(id: string, tx?: EntityManager): Promise<Certificate | null> {
    return orNull(await this.db(tx).selectFrom('certificates').selectAll().where('id', '=', id).executeTakeFirst());
  }

  /** `forUpdate` locks the row for the rest of the caller's transaction. */
  async findByNumber(number: string, tx?: EntityManager, forUpdate = false): Promise<Certificate | null> {
    const query = this.db(tx).selectFrom('certificates').selectAll().where('number', '=', number);
    return orNull(await (forUpdate ? query.forUpdate() : query).executeTakeFirst());
  }

  async findBySource(sourceType: string, sourceId: string, tx?: EntityManager): Promise<Certificate | null> {
    return orNull(
      await this.db(tx)
        .selectFrom('certificates')
        .selectAll()
        .where('sourceType', '=', sourceType)
        .where('sourceId', '=', sourceId)
        .executeTakeFirst(),
    );
  }

  async listForUser(userId: string): Promise<Certificate[]> {
    const rows = await this.db().selectFrom('certificates').selectAll().where('userId', '=', userId).orderBy('issuedAt', 'desc').execute();
    return rows.map(toCertificate);
  }

  /** Takes the next free slot of the current status list (creating the list on first use). */
  async allocateStatusSlot(tx: EntityManager, sizeBits: number): Promise<{ listId: number; index: number }> {
    await this.db(tx)
      .insertInto('statusLists')
      .values({ id: CURRENT_STATUS_LIST, size: sizeBits, bits: sql<Buffer>`decode(repeat('00', ${Math.ceil(sizeBits / 8)}), 'hex')` })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const row = await this.db(tx)
      .updateTable('statusLists')
      .set((eb) => ({ nextIndex: eb('nextIndex', '+', 1) }))
      .where('id', '=', CURRENT_STATUS_LIST)
      .whereRef('nextIndex', '<', 'size')
      .returning(sql<number>`next_index - 1`.as('index'))
      .executeTakeFirst();
    if (!row) throw new Error('the status list is full; add a new list');
    return { listId: CURRENT_STATUS_LIST, index: row.index };
  }

  /** Null when the source already has its certificate (issuing is idempotent per source). */
  async insert(tx: EntityManager, c: NewCertificate): Promise<Certificate | null> {
    const { validityDays, ...values } = c;
    return orNull(
      await this.db(tx)
        .insertInto('certificates')
        .values({ ...values, expiresAt: sql<Date>`now() + make_interval(days => ${validityDays}::int)` })
        .onConflict((oc) => oc.columns(['sourceType', 'sourceId']).doNothing())
        .returningAll()
        .executeTakeFirst(),
    );
  }

  /** A re-issue keeps the dates of the certificate it replaces; null when that one was re-issued already (one per source). */
  async insertReissue(
    tx: EntityManager,
    c: Omit<NewCertificate, 'validityDays'> & { issuedAt: Date; expiresAt: Date },
  ): Promise<Certificate | null> {
    return orNull(
      await this.db(tx)
        .insertInto('certificates')
        .values(c)
        .onConflict((oc) => oc.columns(['sourceType', 'sourceId']).doNothing())
        .returningAll()
        .executeTakeFirst(),
    );
  }

  async findByIdForUpdate(tx: EntityManager, id: string): Promise<Certificate | null> {
    return orNull(await this.db(tx).selectFrom('certificates').selectAll().where('id', '=', id).forUpdate().executeTakeFirst());
  }

  /** The holder's certificates that are active and within their validity: what a name change re-issues. */
  async activeForUser(userId: string): Promise<Certificate[]> {
    const rows = await this.db()
      .selectFrom('certificates')
      .selectAll()
      .where('userId', '=', userId)
      .where('status', '=', 'active')
      .where('expiresAt', '>', sql<Date>`now()`)
      .execute();
    return rows.map(toCertificate);
  }

  /** Revoked with reason 'superseded', pointing at the certificate that replaces it. */
  async markSuperseded(tx: EntityManager, id: string, successorId: string): Promise<void> {
    await this.db(tx)
      .updateTable('certificates')
      .set({ status: 'revoked', statusReason: 'superseded', statusChangedAt: sql<Date>`now()`, supersededBy: successorId })
      .where('id', '=', id)
      .execute();
  }

  /** Numbers of the given certificates by id (for "superseded by <number>"). */
  async numbersById(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db().selectFrom('certificates').select(['id', 'number']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.number]));
  }

  /** Records what was produced; an artifact not given keeps its stored value. */
  async saveArtifacts(id: string, a: { pdfFile?: string; pdfHash?: string; credentialJwt?: string }): Promise<void> {
    await this.db()
      .updateTable('certificates')
      .set((eb) => ({
        pdfFile: eb.fn.coalesce(eb.val(a.pdfFile ?? null), eb.ref('pdfFile')),
        pdfHash: eb.fn.coalesce(eb.val(a.pdfHash ?? null), eb.ref('pdfHash')),
        credentialJwt: eb.fn.coalesce(eb.val(a.credentialJwt ?? null), eb.ref('credentialJwt')),
      }))
      .where('id', '=', id)
      .execute();
  }

  async setStatus(tx: EntityManager, id: string, status: CertificateState, reason: string | null): Promise<void> {
    await this.db(tx)
      .updateTable('certificates')
      .set({ status, statusReason: reason, statusChangedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async lockStatusList(tx: EntityManager, listId: number): Promise<{ bits: Buffer } | null> {
    return (await this.db(tx).selectFrom('statusLists').select('bits').where('id', '=', listId).forUpdate().executeTakeFirst()) ?? null;
  }

  async saveStatusList(tx: EntityManager, listId: number, bits: Buffer, jwt: string): Promise<void> {
    await this.db(tx)
      .updateTable('statusLists')
      .set({ bits, credentialJwt: jwt, updatedAt: sql<Date>`now()` })
      .where('id', '=', listId)
      .execute();
  }

  async statusListJwt(listId: number): Promise<{ jwt: string | null; bits: Buffer } | null> {
    return (
      (await this.db().selectFrom('statusLists').select(['credentialJwt as jwt', 'bits']).where('id', '=', listId).executeTakeFirst()) ??
      null
    );
  }

  async credentialEvent(id: string): Promise<CredentialEventRef | null> {
    return (
      (await this.db()
        .selectFrom('credentialEvents')
        .select(['id', 'userId', 'credential', 'sourceType', 'sourceId'])
        .where('id', '=', id)
        .executeTakeFirst()) ?? null
    );
  }

  async holder(userId: string): Promise<Holder | null> {
    return (
      (await this.db()
        .selectFrom(usersReader.people(this.db()).as('u'))
        .select(['u.email', 'u.fullName'])
        .where('u.id', '=', userId)
        .executeTakeFirst()) ?? null
    );
  }

  /**
   * Whether the holder's address is confirmed, read with a share lock: a confirmation committing at the
   * same moment is waited for, so a pass is never withheld after its holder's confirmation looked for it.
   */
  async holderVerified(tx: EntityManager, userId: string): Promise<boolean> {
    const row = await this.db(tx)
      .selectFrom(usersReader.people(this.db(tx)).as('u'))
      .select('u.emailVerified')
      .where('u.id', '=', userId)
      .forShare()
      .executeTakeFirst();
    return row?.emailVerified === true;
  }

  /** True when the holder has a newer active certificate for the same credential (a renewal). */
  async renewed(c: Certificate): Promise<boolean> {
    const row = await this.db()
      .selectFrom('certificates')
      .select('id')
      .where('userId', '=', c.userId)
      .where('credential', '=', c.credential)
      .where('id', '<>', c.id)
      .where('status', '=', 'active')
      // Compared in the database: a JavaScript Date drops the microseconds PostgreSQL keeps.
      .where('issuedAt', '>', (eb) => eb.selectFrom('certificates as self').select('self.issuedAt').where('self.id', '=', c.id))
      .limit(1)
      .executeTakeFirst();
    return Boolean(row);
  }
}
