import { Inject, Injectable } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { needsSecondFactor } from '../users/entities/user.entity';

interface Entry {
  user: AuthUser;
  /** Epoch ms of the check. */
  at: number;
  /** Epoch ms of the session's end: a remembered check never outlives it. */
  sessionEnds: number;
}

/** Each request gets its own user: a handler changing it must not change the next request's. */
const copyOf = (user: AuthUser): AuthUser => ({ ...user, roles: [...user.roles] });

/** Entries kept at most; past it, lapsed ones are swept, and if that is not enough the cache starts afresh. */
const MAX_ENTRIES = 100_000;

/**
 * This API process's memory of recent session checks, so that a candidate saving answers does not cost a
 * query per request to learn that their session is still live (issue #16). An entry stands for at most
 * SESSION_CHECK_CACHE_SECONDS (config `sessions.checkCacheSeconds`, read on every call; 0 turns it off).
 *
 * - **Ended here, refused here at once**: every change that ends a session or changes what the check
 *   returns calls `forgetUser`/`forgetSession` (SessionsRepository.end, endAllForUser and
 *   recordSecondFactor; e-mail verification, second-factor changes, role and name changes). That also opens a
 *   window of the same length in which that person's checks are not remembered, because the forget runs
 *   inside the changing transaction: a check that read the row just before the commit must not be kept.
 * - **Ended elsewhere, refused within the cache time**: another replica's change reaches this one when
 *   its entry lapses, so a revoked session ends within SESSION_CHECK_CACHE_SECONDS across replicas.
 * - **Staff sessions are never remembered**: their idle timeout is measured from last_used_at, which the
 *   check records, and their step-up window must open on every replica at once; they are few.
 */
@Injectable()
export class SessionCheckCache {
  private readonly entries = new Map<string, Entry>();
  /** `u:<userId>` / `s:<sessionId>` → epoch ms until which checks of them are not remembered. */
  private readonly notBefore = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  private get ttlMs(): number {
    return this.config.sessions.checkCacheSeconds * 1000;
  }

  /** The person behind a session this process checked within the cache time, else undefined (check the database). */
  lookup(sessionId: string, userId: string, now = Date.now()): AuthUser | undefined {
    const entry = this.entries.get(sessionId);
    if (!entry) return undefined;
    // The cache time is read now, not when the check was made: lowering it applies to what is remembered too.
    if (now >= Math.min(entry.at + this.ttlMs, entry.sessionEnds) || entry.user.id !== userId) {
      this.entries.delete(sessionId);
      return undefined;
    }
    return copyOf(entry.user);
  }

  /** Remembers a live session the database just confirmed, unless it is staff's or a change of it is being applied. */
  remember(user: AuthUser, sessionExpiresAt: Date, now = Date.now()): void {
    const ttl = this.ttlMs;
    if (ttl === 0 || needsSecondFactor(user.roles)) return;
    if (this.blocked(`u:${user.id}`, now) || this.blocked(`s:${user.sessionFamilyId}`, now)) return;
    if (this.entries.size >= MAX_ENTRIES) this.sweep(now);
    this.entries.set(user.sessionFamilyId, { user: copyOf(user), at: now, sessionEnds: sessionExpiresAt.getTime() });
  }

  /** Every session of the person: ended, or what the check returns changed (roles, name, verification, second factor). */
  forgetUser(userId: string, now = Date.now()): void {
    for (const [sessionId, entry] of this.entries) if (entry.user.id === userId) this.entries.delete(sessionId);
    this.block(`u:${userId}`, now);
  }

  /** One session: ended, or its second factor was proven again. */
  forgetSession(sessionId: string, now = Date.now()): void {
    this.entries.delete(sessionId);
    this.block(`s:${sessionId}`, now);
  }

  private block(key: string, now: number): void {
    if (this.ttlMs === 0) return;
    this.notBefore.set(key, now + this.ttlMs);
    if (this.notBefore.size >= MAX_ENTRIES) this.sweep(now);
  }

  private blocked(key: string, now: number): boolean {
    const until = this.notBefore.get(key);
    if (until === undefined) return false;
    if (until > now) return true;
    this.notBefore.delete(key);
    return false;
  }

  private sweep(now: number): void {
    const ttl = this.ttlMs;
    for (const [key, entry] of this.entries) if (now >= Math.min(entry.at + ttl, entry.sessionEnds)) this.entries.delete(key);
    for (const [key, until] of this.notBefore) if (until <= now) this.notBefore.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    if (this.notBefore.size >= MAX_ENTRIES) {
      // Forgetting which changes are in flight is only safe with nothing remembered either.
      this.notBefore.clear();
      this.entries.clear();
    }
  }
}
