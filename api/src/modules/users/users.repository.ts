import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { sql } from 'kysely';
import { typed } from '../../infrastructure/database/kysely';
import { containsPattern } from '../../common/lists/list-query';
import { authReader } from '../auth/auth.reader';
import { Role, User } from './entities/user.entity';

/** What second-factor checks need of an account. `totpSecret` is sealed (TotpSecretBox, context: the user id). */
export interface TotpState {
  email: string;
  roles: Role[];
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
}

export const PERSON_STATUSES = ['active', 'deactivated'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

/** The People page's search: by name or address, role, status and joining date, in a chosen order. */
export interface PeopleFilter {
  query?: string;
  role?: Role;
  status?: PersonStatus;
  createdFrom?: Date;
  /** Exclusive. */
  createdBefore?: Date;
  sort: 'createdAt' | 'fullName' | 'email';
  order: 'asc' | 'desc';
}

/** A person as administrators see them: standing and sign-in factors, never a secret. */
export interface PersonRow {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  emailVerifiedAt: Date | null;
  totpEnabledAt: Date | null;
  hasPasskey: boolean;
  deactivatedAt: Date | null;
  deactivatedReason?: string | null;
  passwordResetRequiredAt: Date | null;
  createdAt: Date;
}

/** What the account flows (auth module) need of a person: never more than this leaves the module. */
export interface AccountHolder {
  id: string;
  email: string;
  fullName: string;
  emailVerifiedAt: Date | null;
}

@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.getRepository(User).findOneBy({ id });
  }

  /**
   * The account that may sign in with this address. A deactivated account is not found: sign-in then
   * answers exactly as for an unknown address (same message, same dummy-hash work), revealing nothing.
   */
  findByEmailWithPasswordHash(email: string): Promise<User | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email })
      .andWhere('u.deactivatedAt IS NULL')
      .getOne();
  }

  async insert(
    manager: EntityManager,
    user: Pick<User, 'email' | 'fullName' | 'passwordHash' | 'roles' | 'emailVerifiedAt'>,
  ): Promise<User> {
    const saved = await manager.getRepository(User).save(manager.getRepository(User).create(user));
    return saved;
  }

  /** Self-registration: the new account's id, or null (nothing written) when the address has an account already. */
  async insertIfNew(tx: EntityManager, user: { email: string; fullName: string; passwordHash: string }): Promise<string | null> {
    const row = await typed(tx)
      .insertInto('users')
      .values({ ...user, roles: ['candidate'], emailVerifiedAt: null })
      .onConflict((oc) => oc.column('email').doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id ?? null;
  }

  async holderByEmail(email: string, tx?: EntityManager): Promise<AccountHolder | null> {
    return (
      (await typed(tx ?? this.dataSource)
        .selectFrom('users')
        .select(['id', 'email', 'fullName', 'emailVerifiedAt'])
        .where('email', '=', email)
        .executeTakeFirst()) ?? null
    );
  }

  /** The holder with the password hash, the row locked for the caller's transaction (a password change in progress). */
  async holderWithPasswordForUpdate(tx: EntityManager, id: string): Promise<(AccountHolder & { passwordHash: string }) | null> {
    return (
      (await typed(tx)
        .selectFrom('users')
        .select(['id', 'email', 'fullName', 'emailVerifiedAt', 'passwordHash'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst()) ?? null
    );
  }

  /** True when this call confirmed the address (false: it was confirmed already). Takes the row lock first. */
  async markEmailVerified(tx: EntityManager, id: string): Promise<boolean> {
    const row = await typed(tx)
      .updateTable('users')
      .set({ emailVerifiedAt: sql<Date>`now()`, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .where('emailVerifiedAt', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return Boolean(row);
  }

  /** A password the owner chose: it also settles a reset an administrator forced. */
  /**
   * A confirmed e-mail change: the new address, verified by the link that was opened. A unique violation
   * (23505) means the address was taken meanwhile; the caller answers 409.
   */
  async changeEmail(tx: EntityManager, id: string, email: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({ email, emailVerifiedAt: sql<Date>`now()`, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async setPasswordHash(tx: EntityManager, id: string, passwordHash: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({ passwordHash, passwordChangedAt: sql<Date>`now()`, passwordResetRequiredAt: null, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** A forced reset: `unusableHash` is of a random secret nobody holds, so the old password stops working. */
  async requirePasswordReset(tx: EntityManager, id: string, unusableHash: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({
        passwordHash: unusableHash,
        passwordChangedAt: sql<Date>`now()`,
        passwordResetRequiredAt: sql<Date>`now()`,
        updatedAt: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
  }

  /** The account's row, locked until the caller's transaction ends (a change of standing is decided one at a time). */
  async lockForStanding(tx: EntityManager, id: string): Promise<User | null> {
    return tx.getRepository(User).createQueryBuilder('u').setLock('pessimistic_write').where('u.id = :id', { id }).getOne();
  }

  /**
   * The active administrators, their rows locked: two administrators deactivating each other at once
   * are decided one after the other, so the second sees the first's change and the last one stays.
   */
  async lockActiveAdmins(tx: EntityManager): Promise<string[]> {
    const rows = await typed(tx)
      .selectFrom('users')
      .select('id')
      .where(sql<boolean>`'admin' = ANY(roles)`)
      .where('deactivatedAt', 'is', null)
      .orderBy('id')
      .forUpdate()
      .execute();
    return rows.map((r) => r.id);
  }

  async setDeactivated(tx: EntityManager, id: string, reason: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({ deactivatedAt: sql<Date>`now()`, deactivatedReason: reason, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  async clearDeactivated(tx: EntityManager, id: string): Promise<void> {
    await typed(tx)
      .updateTable('users')
      .set({ deactivatedAt: null, deactivatedReason: null, updatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** One page of the People list, newest first, with the number of matches. */
  /** One page of the People list and the number of matches in all pages (counted apart: no window over the whole set). */
  async search(filter: PeopleFilter, window: { limit: number; offset: number }): Promise<{ rows: PersonRow[]; total: number }> {
    const db = typed(this.dataSource);
    let matching = db.selectFrom('users as u');
    if (filter.query) {
      const pattern = containsPattern(filter.query);
      matching = matching.where((eb) => eb.or([eb('u.fullName', 'ilike', pattern), eb('u.email', 'ilike', pattern)]));
    }
    if (filter.role) matching = matching.where(sql<boolean>`${filter.role} = ANY(u.roles)`);
    if (filter.status === 'active') matching = matching.where('u.deactivatedAt', 'is', null);
    if (filter.status === 'deactivated') matching = matching.where('u.deactivatedAt', 'is not', null);
    if (filter.createdFrom) matching = matching.where('u.createdAt', '>=', filter.createdFrom);
    if (filter.createdBefore) matching = matching.where('u.createdAt', '<', filter.createdBefore);
    const sortColumn = ({ createdAt: 'u.createdAt', fullName: 'u.fullName', email: 'u.email' } as const)[filter.sort];
    const [rows, count] = await Promise.all([
      matching
        .select(['u.id', 'u.email', 'u.fullName', 'u.roles', 'u.emailVerifiedAt', 'u.totpEnabledAt', 'u.deactivatedAt'])
        .select(['u.passwordResetRequiredAt', 'u.createdAt'])
        .select((eb) =>
          eb
            .exists(eb.selectFrom(authReader.passkeyOwners(db).as('p')).select('p.userId').whereRef('p.userId', '=', 'u.id'))
            .as('hasPasskey'),
        )
        .orderBy(sortColumn, filter.order)
        .orderBy('u.id', filter.order)
        .limit(window.limit)
        .offset(window.offset)
        .execute(),
      matching.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return {
      rows: rows.map((r) => ({ ...r, roles: r.roles as Role[], hasPasskey: Boolean(r.hasPasskey) })),
      total: Number(count.total),
    };
  }

  /** One person as the People page shows them. */
  async person(id: string): Promise<PersonRow | null> {
    const db = typed(this.dataSource);
    const row = await db
      .selectFrom('users as u')
      .select(['u.id', 'u.email', 'u.fullName', 'u.roles', 'u.emailVerifiedAt', 'u.totpEnabledAt', 'u.deactivatedAt'])
      .select(['u.passwordResetRequiredAt', 'u.createdAt', 'u.deactivatedReason'])
      .select((eb) =>
        eb
          .exists(eb.selectFrom(authReader.passkeyOwners(db).as('p')).select('p.userId').whereRef('p.userId', '=', 'u.id'))
          .as('hasPasskey'),
      )
      .where('u.id', '=', id)
      .executeTakeFirst();
    return row ? { ...row, roles: row.roles as Role[], hasPasskey: Boolean(row.hasPasskey) } : null;
  }

  /** Accounts whose address has stayed unconfirmed for longer than `days`, oldest first. */
  async staleUnverified(days: number, limit: number): Promise<string[]> {
    const rows = await typed(this.dataSource)
      .selectFrom('users')
      .select('id')
      .where('emailVerifiedAt', 'is', null)
      .where('createdAt', '<', sql<Date>`now() - make_interval(secs => ${Math.round(days * 86_400)})`)
      .orderBy('createdAt')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Deletes the account if it is still unconfirmed and stale (re-checked here: it may have been confirmed since). */
  async deleteStaleUnverified(tx: EntityManager, id: string, days: number): Promise<boolean> {
    const row = await typed(tx)
      .deleteFrom('users')
      .where('id', '=', id)
      .where('emailVerifiedAt', 'is', null)
      .where('createdAt', '<', sql<Date>`now() - make_interval(secs => ${Math.round(days * 86_400)})`)
      .returning('id')
      .executeTakeFirst();
    return Boolean(row);
  }

  async updateRoles(manager: EntityManager, userId: string, roles: Role[]): Promise<void> {
    await manager.getRepository(User).update({ id: userId }, { roles });
  }

  /** The account's TOTP state, its row locked until the caller's transaction ends (enrolment steps are decided one at a time). */
  async lockTotpState(manager: EntityManager, userId: string): Promise<TotpState | null> {
    const row = await typed(manager)
      .selectFrom('users')
      .select(['roles', 'email', 'totpSecret', 'totpEnabledAt', 'totpLastStep'])
      .where('id', '=', userId)
      .forUpdate()
      .executeTakeFirst();
    return row ? { ...row, roles: row.roles as Role[], totpLastStep: row.totpLastStep === null ? null : Number(row.totpLastStep) } : null;
  }

  /** Stores a new (sealed) secret for an enrolment not yet confirmed; false when TOTP is already on. */
  async startTotpEnrolment(manager: EntityManager, userId: string, sealedSecret: string): Promise<boolean> {
    const result = await typed(manager)
      .updateTable('users')
      .set({ totpSecret: sealedSecret, totpLastStep: null })
      .where('id', '=', userId)
      .where('totpEnabledAt', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Turns TOTP on with the stored secret, `step` being the code that confirmed it (used, so never accepted again). */
  async enableTotp(manager: EntityManager, userId: string, step: number): Promise<void> {
    await typed(manager)
      .updateTable('users')
      .set({ totpEnabledAt: sql<Date>`now()`, totpLastStep: String(step) })
      .where('id', '=', userId)
      .where('totpSecret', 'is not', null)
      .execute();
  }

  /** An account created with a known secret (`user:create --totp-secret`): TOTP on at once. */
  async enableTotpWithSecret(manager: EntityManager, userId: string, sealedSecret: string): Promise<void> {
    await typed(manager)
      .updateTable('users')
      .set({ totpSecret: sealedSecret, totpEnabledAt: sql<Date>`now()`, totpLastStep: null })
      .where('id', '=', userId)
      .execute();
  }

  async disableTotp(manager: EntityManager, userId: string): Promise<void> {
    await typed(manager)
      .updateTable('users')
      .set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * Records `step` as used, provided it is later than every step used before: one statement, so two
   * requests racing with the same code cannot both pass (RFC 6238 §5.2). False means a replayed code.
   */
  async useTotpStep(manager: EntityManager, userId: string, step: number): Promise<boolean> {
    const result = await typed(manager)
      .updateTable('users')
      .set({ totpLastStep: String(step) })
      .where('id', '=', userId)
      .where('totpEnabledAt', 'is not', null)
      .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', String(step))]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }
}
