import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type RawBuilder, type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { PortfolioConflictDeclarations } from '../../infrastructure/database/schema.generated';
import { reviewsReader } from '../reviews/reviews.reader';
import { usersReader } from '../users/users.reader';
import type { ConflictKind, ConflictStatus } from './dto/conflict-declaration.dto';
import type { PortfolioCredential } from './dto/portfolio.dto';

/** A declaration with the portfolio it belongs to and that portfolio's candidate. */
export type ConflictDeclaration = Omit<Selectable<PortfolioConflictDeclarations>, 'kind' | 'status'> & {
  kind: ConflictKind;
  status: ConflictStatus;
  candidateId: string;
  credential: PortfolioCredential;
};

export type AdminConflictDeclaration = ConflictDeclaration & { candidateName: string; candidateEmail: string };

export interface NewConflictDeclaration {
  portfolioId: string;
  kind: ConflictKind;
  name: string | null;
  email: string | null;
  reason: string;
}

export interface MatchedStaff {
  declarationId: string;
  id: string;
  fullName: string;
  email: string;
  organisation: string;
}

/** Submissions still being judged: a pending declaration cannot be withdrawn while reviewers may be chosen for one. */
const UNDER_REVIEW = ['submitted', 'adjudication'];

/** Lower case, punctuation and runs of spaces folded to one space: "ACME  Ltd." and "acme ltd" are one organisation. */
const normalised = (expr: RawBuilder<unknown>) => sql<string>`btrim(regexp_replace(lower(${expr}), '[^[:alnum:]]+', ' ', 'g'))`;

@Injectable()
export class ConflictDeclarationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  private base(tx?: EntityManager) {
    return this.db(tx)
      .selectFrom('portfolioConflictDeclarations as d')
      .innerJoin('portfolios as p', 'p.id', 'd.portfolioId')
      .selectAll('d')
      .select(['p.userId as candidateId', 'p.credential']);
  }

  /** A portfolio's declarations, newest first. */
  async list(portfolioId: string, tx?: EntityManager): Promise<ConflictDeclaration[]> {
    const rows = await this.base(tx).where('d.portfolioId', '=', portfolioId).orderBy('d.createdAt', 'desc').orderBy('d.id').execute();
    return rows as ConflictDeclaration[];
  }

  /** Declarations that count towards the cap: all but the withdrawn. */
  async countHeld(tx: EntityManager, portfolioId: string): Promise<number> {
    const row = await this.db(tx)
      .selectFrom('portfolioConflictDeclarations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('portfolioId', '=', portfolioId)
      .where('status', '<>', 'withdrawn')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(tx: EntityManager, d: NewConflictDeclaration): Promise<string> {
    const row = await this.db(tx).insertInto('portfolioConflictDeclarations').values(d).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  /** `forUpdate` locks the declaration for the rest of the caller's transaction. */
  async find(id: string, tx?: EntityManager, forUpdate = false): Promise<ConflictDeclaration | null> {
    const query = this.base(tx).where('d.id', '=', id);
    const row = await (forUpdate ? query.forUpdate('d') : query).executeTakeFirst();
    return (row as ConflictDeclaration | undefined) ?? null;
  }

  /** The one writer of a declaration's status: only from `from`, so a stale caller changes nothing. */
  async setStatus(
    tx: EntityManager,
    id: string,
    from: ConflictStatus,
    to: ConflictStatus,
    decision: { by: string; note: string | null } | null = null,
  ): Promise<boolean> {
    const rows = await this.db(tx)
      .updateTable('portfolioConflictDeclarations')
      .set({
        status: to,
        ...(decision ? { decidedAt: sql<Date>`now()`, decidedBy: decision.by, decisionNote: decision.note } : {}),
      })
      .where('id', '=', id)
      .where('status', '=', from)
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  /**
   * Works out which staff (people with the reviewer role: reviewers and assessors) the declaration
   * names, and stores it in place of what was stored before. A person: e-mail exactly (any case) or
   * full name normalised. An organisation: the reviewer profile's organisation normalised, or the
   * e-mail domain (any case). The candidate is never their own match.
   */
  async rematch(tx: EntityManager, d: Pick<ConflictDeclaration, 'id' | 'kind' | 'name' | 'email' | 'candidateId'>): Promise<string[]> {
    const db = this.db(tx);
    const fullName = normalised(sql`u.full_name`);
    const organisation = normalised(sql`coalesce(p.organisation, '')`);
    const declaredName = normalised(sql`${d.name ?? ''}::text`);
    const byName = (column: RawBuilder<string>) => sql<boolean>`(${declaredName} <> '' AND ${column} = ${declaredName})`;
    const test =
      d.kind === 'person'
        ? sql<boolean>`(${d.email}::text IS NOT NULL AND lower(u.email) = lower(${d.email}::text)) OR ${byName(fullName)}`
        : sql<boolean>`${byName(organisation)} OR (${d.email}::text IS NOT NULL AND lower(split_part(u.email, '@', 2)) = lower(${d.email}::text))`;
    const { rows } = await sql<{ id: string }>`
      SELECT u.id FROM ${usersReader.people(db)} u LEFT JOIN ${reviewsReader.profiles(db)} p ON p.user_id = u.id
      WHERE 'reviewer' = ANY(u.roles) AND u.id <> ${d.candidateId} AND (${test})
      ORDER BY u.id`.execute(db);
    const ids = rows.map((r) => r.id);
    await db.deleteFrom('portfolioConflictMatches').where('declarationId', '=', d.id).execute();
    if (ids.length) {
      await db
        .insertInto('portfolioConflictMatches')
        .values(ids.map((reviewerId) => ({ declarationId: d.id, reviewerId })))
        .execute();
    }
    return ids;
  }

  private withCandidate() {
    const db = this.db();
    return this.base()
      .innerJoin(usersReader.people(db).as('u'), 'u.id', 'p.userId')
      .select(['u.fullName as candidateName', 'u.email as candidateEmail']);
  }

  /** Declarations by status, with their candidate: pending oldest first (a queue), the others newest first. */
  async adminList(status: ConflictStatus): Promise<AdminConflictDeclaration[]> {
    const rows = await this.withCandidate()
      .where('d.status', '=', status)
      .orderBy('d.createdAt', status === 'pending' ? 'asc' : 'desc')
      .orderBy('d.id')
      .limit(500)
      .execute();
    return rows as AdminConflictDeclaration[];
  }

  async adminOne(id: string): Promise<AdminConflictDeclaration | null> {
    const row = await this.withCandidate().where('d.id', '=', id).executeTakeFirst();
    return (row as AdminConflictDeclaration | undefined) ?? null;
  }

  /** The staff each declaration matched, as stored. */
  async matchedStaff(declarationIds: string[]): Promise<MatchedStaff[]> {
    if (!declarationIds.length) return [];
    const db = this.db();
    return db
      .selectFrom('portfolioConflictMatches as m')
      .innerJoin(usersReader.people(db).as('u'), 'u.id', 'm.reviewerId')
      .leftJoin(reviewsReader.profiles(db).as('rp'), 'rp.userId', 'm.reviewerId')
      .select(['m.declarationId', 'u.id', 'u.fullName', 'u.email', sql<string>`coalesce(rp.organisation, '')`.as('organisation')])
      .where('m.declarationId', 'in', declarationIds)
      .orderBy('u.fullName')
      .execute();
  }

  async submissionsUnderReview(tx: EntityManager, portfolioId: string): Promise<number> {
    const rows = await this.db(tx)
      .selectFrom('portfolioSubmissions')
      .select('id')
      .where('portfolioId', '=', portfolioId)
      .where('status', 'in', UNDER_REVIEW)
      .execute();
    return rows.length;
  }
}
