import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { decodeJwt } from 'jose';
import { type Insertable, type Selectable, sql } from 'kysely';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { usersReader } from '../users/users.reader';
import { typed } from '../../infrastructure/database/kysely';
import { containsPattern } from '../../common/lists/list-query';
import type { Certificates } from '../../infrastructure/database/schema.generated';
import { certificateLifecycle, type CertificateState } from './certificate-lifecycle';
import { statusListPath } from './open-badge';
import { forgetSharedResponses } from '../../common/http/shared-response-cache';

/** The administrators' certificate list: holder text, credential, effective status, and half-open date ranges. */
export interface CertificateFilter {
  query?: string;
  credential?: string;
  status?: CertificateState | 'expired';
  issuedFrom?: Date;
  issuedBefore?: Date;
  expiringBefore?: Date;
  sort: 'issuedAt' | 'expiresAt' | 'number' | 'holder';
  order: 'asc' | 'desc';
}

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

export interface StoredStatusList {
  bits: Buffer;
  /** The signed list credential as last signed, and when it stops being valid (null: sign it again before serving it). */
  jwt: string | null;
  validUntil: Date | null;
}

/** Draws a random slot at most this often per issue; at most half full, a list needs two draws on average. */
const SLOT_DRAWS = 64;

/** The kid in a stored JWS's protected header (base64url JSON), read in SQL. */
/** A JWS's protected header, as jsonb. */
const jwsHeader = (column: string) =>
  sql`convert_from(decode(translate(split_part(${sql.ref(column)}, '.', 1), '-_', '+/') || repeat('=', (4 - length(split_part(${sql.ref(column)}, '.', 1)) % 4) % 4), 'base64'), 'UTF8')::jsonb`;
/** The stored kid of the key that signed a JWS: its header kid, or that URL's fragment (storedKid in signing-keys.ts). */
const signedWithKid = (column: string) => sql<string>`regexp_replace(${jwsHeader(column)} ->> 'kid', '^.*#', '')`;

/** credential_events.kind of a pass whose decision was changed to fail: its certificate is revoked, or never issued. */
export const WITHDRAWN = 'withdrawn';

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

  /** One page of the administrators' certificate list with each holder's address, and the number of matches in all pages. */
  async search(
    filter: CertificateFilter,
    window: { limit: number; offset: number },
  ): Promise<{ rows: Array<Certificate & { holderEmail: string | null }>; total: number }> {
    const db = this.db();
    let matching = db.selectFrom('certificates as c').leftJoin(usersReader.people(db).as('u'), 'u.id', 'c.userId');
    if (filter.query) {
      const pattern = containsPattern(filter.query);
      matching = matching.where((eb) =>
        eb.or([eb('c.holderName', 'ilike', pattern), eb('u.email', 'ilike', pattern), eb('c.number', 'ilike', pattern)]),
      );
    }
    if (filter.credential) matching = matching.where('c.credential', '=', filter.credential);
    if (filter.status === 'expired') matching = matching.where('c.status', '=', 'active').where('c.expiresAt', '<=', sql<Date>`now()`);
    else if (filter.status === 'active') matching = matching.where('c.status', '=', 'active').where('c.expiresAt', '>', sql<Date>`now()`);
    else if (filter.status) matching = matching.where('c.status', '=', filter.status);
    if (filter.issuedFrom) matching = matching.where('c.issuedAt', '>=', filter.issuedFrom);
    if (filter.issuedBefore) matching = matching.where('c.issuedAt', '<', filter.issuedBefore);
    if (filter.expiringBefore) matching = matching.where('c.expiresAt', '<', filter.expiringBefore);
    const sortColumn = ({ issuedAt: 'c.issuedAt', expiresAt: 'c.expiresAt', number: 'c.number', holder: 'c.holderName' } as const)[
      filter.sort
    ];
    const [rows, count] = await Promise.all([
      matching
        .selectAll('c')
        .select('u.email as holderEmail')
        .orderBy(sortColumn, filter.order)
        .orderBy('c.id', filter.order)
        .limit(window.limit)
        .offset(window.offset)
        .execute(),
      matching.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map(({ holderEmail, ...c }) => ({ ...toCertificate(c), holderEmail: holderEmail ?? null })),
      total: Number(count.total),
    };
  }

  async listForUser(userId: string): Promise<Certificate[]> {
    const rows = await this.db().selectFrom('certificates').selectAll().where('userId', '=', userId).orderBy('issuedAt', 'desc').execute();
    return rows.map(toCertificate);
  }

  /**
   * A uniformly random free slot of the status list that takes new slots (the newest, while at most half
   * full; else a new list). Sequential slots would tell anyone holding two credentials the order and number
   * of certificates issued between them. The list row stays locked until the caller's transaction ends, so
   * no other issue draws meanwhile; the slot's unique constraint is the backstop.
   */
  async allocateStatusSlot(tx: EntityManager, sizeBits: number): Promise<{ listId: number; index: number }> {
    for (;;) {
      const list = await this.db(tx)
        .selectFrom('statusLists')
        .select(['id', 'size'])
        .where(sql<boolean>`allocated * 2 < size`)
        .orderBy('id', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirst();
      if (!list) {
        // Every list is half full: open the next one (two issues racing here create it once).
        await this.db(tx)
          .insertInto('statusLists')
          .values({
            id: sql<number>`(SELECT coalesce(max(id), 0) + 1 FROM status_lists)`,
            size: sizeBits,
            bits: sql<Buffer>`decode(repeat('00', ${Math.ceil(sizeBits / 8)}), 'hex')`,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        continue;
      }
      for (let draw = 0; draw < SLOT_DRAWS; draw++) {
        const index = randomInt(list.size);
        const taken = await this.db(tx)
          .selectFrom('certificates')
          .select('id')
          .where('statusListId', '=', list.id)
          .where('statusListIndex', '=', index)
          .executeTakeFirst();
        if (taken) continue;
        await this.db(tx)
          .updateTable('statusLists')
          .set((eb) => ({ allocated: eb('allocated', '+', 1) }))
          .where('id', '=', list.id)
          .execute();
        return { listId: list.id, index };
      }
      throw new Error(`no free status-list slot found in ${SLOT_DRAWS} draws (list ${list.id})`);
    }
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

  async lockStatusList(tx: EntityManager, listId: number): Promise<StoredStatusList | null> {
    return (
      (await this.db(tx)
        .selectFrom('statusLists')
        .select(['bits', 'credentialJwt as jwt', 'validUntil'])
        .where('id', '=', listId)
        .forUpdate()
        .executeTakeFirst()) ?? null
    );
  }

  /**
   * Stores the list's bits and, when given, its signed credential; the stored credential is served only
   * while its own exp (validUntil) lies ahead, so new bits saved without one are signed afresh on the next request.
   */
  async saveStatusList(tx: EntityManager, listId: number, bits: Buffer, jwt: string | null = null): Promise<void> {
    const exp = jwt ? decodeJwt(jwt).exp : undefined;
    await this.db(tx)
      .updateTable('statusLists')
      .set({
        bits,
        credentialJwt: exp ? jwt : null,
        validUntil: exp ? new Date(exp * 1000) : null,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', listId)
      .execute();
    // Before the commit, so a copy can be stored again from a read that began before it: for SHARED_CACHE_SECONDS at most.
    forgetSharedResponses(statusListPath(listId));
  }

  async statusList(listId: number): Promise<StoredStatusList | null> {
    return (
      (await this.db()
        .selectFrom('statusLists')
        .select(['bits', 'credentialJwt as jwt', 'validUntil'])
        .where('id', '=', listId)
        .executeTakeFirst()) ?? null
    );
  }

  /** Signed lists are dropped (a signing key was retired): each is signed again, with the current key, when next requested. */
  async forgetStatusListSignatures(tx: EntityManager): Promise<void> {
    await this.db(tx).updateTable('statusLists').set({ credentialJwt: null, validUntil: null }).execute();
  }

  /** Active and suspended certificates whose stored credential the given key signed. */
  async liveSignedBy(kid: string, tx?: EntityManager): Promise<Array<{ id: string; credentialJwt: string }>> {
    const rows = await this.db(tx)
      .selectFrom('certificates')
      .select(['id', 'credentialJwt'])
      .where('status', 'in', ['active', 'suspended'])
      .where('credentialJwt', 'is not', null)
      .where(signedWithKid('credential_jwt'), '=', kid)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, credentialJwt: r.credentialJwt! }));
  }

  /** Live credentials signed with another algorithm than `alg` (the Ed25519 ones of contract v1.0), oldest first. */
  async liveSignedWithout(alg: string, limit: number): Promise<Array<{ id: string; credentialJwt: string }>> {
    const rows = await this.db()
      .selectFrom('certificates')
      .select(['id', 'credentialJwt'])
      .where('status', 'in', ['active', 'suspended'])
      .where('credentialJwt', 'is not', null)
      .where(sql<string>`${jwsHeader('credential_jwt')} ->> 'alg'`, '<>', alg)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, credentialJwt: r.credentialJwt! }));
  }

  /** Drops a stored credential so that it is signed again; false when it changed meanwhile (re-signed by another run). */
  async forgetCredential(id: string, jwt: string): Promise<boolean> {
    const result = await this.db()
      .updateTable('certificates')
      .set({ credentialJwt: null })
      .where('id', '=', id)
      .where('credentialJwt', '=', jwt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
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

  /**
   * Why the holder may receive no new certificate, or null: an administrator deactivated the account (until it
   * is reactivated), or the person deleted it (for good: a certificate would name "Deleted account").
   */
  async holderBarred(tx: EntityManager, userId: string): Promise<'account_deactivated' | 'account_deleted' | null> {
    const row = await this.db(tx)
      .selectFrom(usersReader.people(this.db(tx)).as('u'))
      .select(['u.deactivatedAt', 'u.deletedAt'])
      .where('u.id', '=', userId)
      .forShare()
      .executeTakeFirst();
    return row?.deletedAt ? 'account_deleted' : row?.deactivatedAt ? 'account_deactivated' : null;
  }

  /**
   * Whether the pass behind a credential event still stands (its decision was not changed to fail since),
   * read with a share lock on the pass: a withdrawal (CredentialEvents.withdrawPass) locks it for update,
   * so issuing and withdrawing one pass never interleave, and the certificate never outlives its decision.
   */
  async passStands(tx: EntityManager, credentialEventId: string): Promise<boolean> {
    const pass = await this.db(tx)
      .selectFrom('credentialEvents')
      .select(['sourceType', 'sourceId'])
      .where('id', '=', credentialEventId)
      .where('kind', '=', 'passed')
      .forShare()
      .executeTakeFirst();
    if (!pass) return false;
    const withdrawn = await this.db(tx)
      .selectFrom('credentialEvents')
      .select('id')
      .where('sourceType', '=', pass.sourceType)
      .where('sourceId', '=', pass.sourceId)
      .where('kind', '=', WITHDRAWN)
      .executeTakeFirst();
    return !withdrawn;
  }

  /**
   * Standing passes (not withdrawn) recorded before `recordedBefore` that have no certificate and whose holder may
   * receive one now (address confirmed, account not deactivated), oldest first. Withheld passes are left out: their
   * holder's confirmation or reactivation queues them (CredentialEvents.issueWithheld), and queueing them here would
   * only audit `certificate.withheld` again on every pass.
   */
  async unissuedPasses(recordedBefore: Date, limit: number): Promise<string[]> {
    const db = this.db();
    const rows = await db
      .selectFrom('credentialEvents as e')
      .innerJoin(usersReader.people(db).as('u'), 'u.id', 'e.userId')
      .select('e.id')
      .where('e.kind', '=', 'passed')
      .where('e.occurredAt', '<', recordedBefore)
      .where('u.emailVerified', '=', true)
      .where('u.deactivatedAt', 'is', null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('credentialEvents as w')
              .select('w.id')
              .whereRef('w.sourceType', '=', 'e.sourceType')
              .whereRef('w.sourceId', '=', 'e.sourceId')
              .where('w.kind', '=', WITHDRAWN),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('certificates as c')
              .select('c.id')
              .whereRef('c.sourceType', '=', 'e.sourceType')
              .whereRef('c.sourceId', '=', 'e.sourceId'),
          ),
        ),
      )
      .orderBy('e.occurredAt')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Active certificates issued before `issuedBefore` whose end date lies in (from, to]. */
  async activeExpiringBetween(from: Date, to: Date, issuedBefore: Date, limit: number): Promise<Array<{ id: string; expiresAt: Date }>> {
    return this.db()
      .selectFrom('certificates')
      .select(['id', 'expiresAt'])
      .where('status', '=', 'active')
      .where('expiresAt', '>', from)
      .where('expiresAt', '<=', to)
      .where('issuedAt', '<', issuedBefore)
      .orderBy('expiresAt')
      .limit(limit)
      .execute();
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
