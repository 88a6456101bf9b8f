import { Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { executePrepared, typed } from '../../infrastructure/database/kysely';
import type { AuthUser } from '../../common/auth/auth-user';
import { type Role, STAFF_ROLES } from '../users/entities/user.entity';
import { usersReader } from '../users/users.reader';
import { RefreshToken } from './entities/refresh-token.entity';
import { SessionCheckCache } from './session-check-cache';

export type SignInMethod = 'password' | 'totp' | 'recovery_code' | 'passkey';

/** Why a session stopped (sessions.end_reason); other modules pass their own words (e.g. 'deactivated'). */
export type EndReason =
  'signed_out' | 'signed_out_elsewhere' | 'idle' | 'expired' | 'refresh_reuse' | 'password_changed' | 'password_reset' | (string & {});

/** A session as the refresh and the Sessions page need it. */
export interface SessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  userAgent: string | null;
  ip: string | null;
  signInMethod: string | null;
  secondFactorAt: Date | null;
}

/**
 * How often the per-request check writes last_used_at: at most once a minute per session (or twice per
 * idle timeout, when that is shorter, so that a person in the middle of their work is never taken as idle).
 */
const TOUCH_EVERY_SECONDS = 60;

/**
 * Sessions (one per sign-in, the family of its refresh tokens) and their refresh tokens. A session is
 * live while it has not ended, is younger than its absolute lifetime, and, for staff, was used within
 * the idle timeout. Every change that ends a session or changes what its check returns goes through
 * here and drops this process's remembered checks of it (SessionCheckCache).
 */
@Injectable()
export class SessionsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checks: SessionCheckCache,
  ) {}

  /**
   * The person behind an access token, provided their session is live — one statement, when this process
   * has not checked the session within SESSION_CHECK_CACHE_SECONDS (JwtStrategy). The same statement
   * records the use (at most once a minute) and ends a staff session found idle. With the session's end,
   * so that a remembered check never outlives it.
   */
  async liveSessionUser(
    userId: string,
    sessionId: string,
    staffIdleSeconds: number,
  ): Promise<{ user: Omit<AuthUser, 'sessionFamilyId'>; expiresAt: Date } | null> {
    const touchEvery = Math.max(1, Math.min(TOUCH_EVERY_SECONDS, Math.floor(staffIdleSeconds / 2)));
    const db = typed(this.dataSource);
    const query = db
      .with('cur', (cte) =>
        cte
          .selectFrom('sessions as s')
          .innerJoin(usersReader.people(db).as('u'), 'u.id', 's.userId')
          .select(['u.id', 'u.email', 'u.fullName', 'u.roles', 'u.totpEnabled', 'u.emailVerified', 's.secondFactorAt', 's.expiresAt'])
          .select((eb) =>
            eb
              .exists(eb.selectFrom('passkeys as p').select('p.id').whereRef('p.userId', '=', 'u.id'))
              .$castTo<boolean>()
              .as('hasPasskey'),
          )
          .select(
            sql<boolean>`u.roles && ${sql.val([...STAFF_ROLES])}::text[] AND s.last_used_at < now() - make_interval(secs => ${staffIdleSeconds})`.as(
              'idle',
            ),
          )
          .where('s.id', '=', sessionId)
          .where('s.userId', '=', userId)
          .where('s.endedAt', 'is', null)
          .where('s.expiresAt', '>', sql<Date>`now()`)
          // A deactivated account's sessions are ended too; this refuses one that raced the deactivation.
          .where('u.deactivatedAt', 'is', null),
      )
      .with('touched', (cte) =>
        cte
          .updateTable('sessions')
          .from('cur')
          .set({
            lastUsedAt: sql<Date>`CASE WHEN cur.idle THEN sessions.last_used_at ELSE now() END`,
            endedAt: sql<Date | null>`CASE WHEN cur.idle THEN now() END`,
            endReason: sql<string | null>`CASE WHEN cur.idle THEN 'idle' END`,
          })
          .where('sessions.id', '=', sessionId)
          .where(sql<boolean>`(cur.idle OR sessions.last_used_at < now() - make_interval(secs => ${touchEvery}))`)
          .returning('sessions.id'),
      )
      .selectFrom('cur')
      .selectAll()
      .where('cur.idle', '=', false);
    // Every request of a session not checked within SESSION_CHECK_CACHE_SECONDS runs it: planned once per connection.
    const row = (await executePrepared(db, 'live_session', query)).rows[0];
    if (!row) return null;
    const { hasPasskey, idle: _idle, expiresAt, ...user } = row;
    return {
      user: {
        ...user,
        roles: user.roles as Role[],
        passkeyEnabled: hasPasskey,
        secondFactorEnabled: user.totpEnabled || hasPasskey,
        secondFactorAt: user.secondFactorAt,
      },
      expiresAt,
    };
  }

  async insertSession(
    manager: EntityManager,
    session: {
      id: string;
      userId: string;
      createdAt: Date;
      lastUsedAt: Date;
      expiresAt: Date;
      userAgent: string | null;
      ip: string;
      signInMethod: SignInMethod;
      secondFactorAt: Date | null;
    },
  ): Promise<void> {
    await typed(manager).insertInto('sessions').values(session).execute();
  }

  /** The session, locked: a refresh and a sign-out of the same session are decided one after the other. */
  async findForUpdate(manager: EntityManager, sessionId: string): Promise<SessionRow | null> {
    return (await typed(manager).selectFrom('sessions').selectAll().where('id', '=', sessionId).forUpdate().executeTakeFirst()) ?? null;
  }

  /** The user's live sessions (not ended, not past their lifetime), newest first. */
  async listLive(userId: string): Promise<SessionRow[]> {
    return typed(this.dataSource)
      .selectFrom('sessions')
      .selectAll()
      .where('userId', '=', userId)
      .where('endedAt', 'is', null)
      .where('expiresAt', '>', sql<Date>`now()`)
      .orderBy('createdAt', 'desc')
      .execute();
  }

  async touch(manager: EntityManager, sessionId: string): Promise<void> {
    await typed(manager)
      .updateTable('sessions')
      .set({ lastUsedAt: sql<Date>`now()` })
      .where('id', '=', sessionId)
      .execute();
  }

  /** The session has just proven a second factor (step-up, or a passkey): sensitive actions are open for a while. */
  async recordSecondFactor(manager: EntityManager, sessionId: string): Promise<void> {
    this.checks.forgetSession(sessionId);
    await typed(manager)
      .updateTable('sessions')
      .set({ secondFactorAt: sql<Date>`now()` })
      .where('id', '=', sessionId)
      .execute();
  }

  /** Ends one session of the user (and revokes its refresh tokens); false when there is no such live session. */
  async end(manager: EntityManager, userId: string, sessionId: string, reason: EndReason): Promise<boolean> {
    this.checks.forgetSession(sessionId);
    const ended = await typed(manager)
      .updateTable('sessions')
      .set({ endedAt: sql<Date>`now()`, endReason: reason })
      .where('id', '=', sessionId)
      .where('userId', '=', userId)
      .where('endedAt', 'is', null)
      .returning('id')
      .execute();
    await this.revokeTokens(manager, [sessionId]);
    return ended.length > 0;
  }

  /**
   * Ends every live session of the user (and revokes their refresh tokens), except the one given (the
   * caller's own); answers how many were ended. Used wherever access must stop at once.
   */
  async endAllForUser(manager: EntityManager, userId: string, reason: EndReason, exceptSessionId?: string): Promise<number> {
    this.checks.forgetUser(userId);
    let query = typed(manager)
      .updateTable('sessions')
      .set({ endedAt: sql<Date>`now()`, endReason: reason })
      .where('userId', '=', userId)
      .where('endedAt', 'is', null);
    if (exceptSessionId) query = query.where('id', '<>', exceptSessionId);
    const ended = await query.returning('id').execute();
    await this.revokeTokens(
      manager,
      ended.map((s) => s.id),
    );
    return ended.length;
  }

  /**
   * What the session check returns about the person changed (roles, name, e-mail verification, second
   * factor): this process checks their sessions again on their next request. Other replicas see it within
   * SESSION_CHECK_CACHE_SECONDS. Call it inside the changing transaction or after it.
   */
  checkAgain(userId: string): void {
    this.checks.forgetUser(userId);
  }

  async insertToken(manager: EntityManager, token: Pick<RefreshToken, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>): Promise<void> {
    await manager.getRepository(RefreshToken).insert(token);
  }

  /** Locks the row so that two refreshes of the same token are decided one after the other. */
  findByHashForUpdate(manager: EntityManager, tokenHash: string): Promise<RefreshToken | null> {
    return manager
      .getRepository(RefreshToken)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.tokenHash = :tokenHash', { tokenHash })
      .getOne();
  }

  async markRotated(manager: EntityManager, id: string): Promise<void> {
    await typed(manager)
      .updateTable('refreshTokens')
      .set({ rotatedAt: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
  }

  private async revokeTokens(manager: EntityManager, sessionIds: string[]): Promise<void> {
    if (!sessionIds.length) return;
    await typed(manager)
      .updateTable('refreshTokens')
      .set({ revokedAt: sql<Date>`now()` })
      .where('familyId', 'in', sessionIds)
      .where('revokedAt', 'is', null)
      .execute();
  }
}
