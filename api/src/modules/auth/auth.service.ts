import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { stepUpUntil } from '../../common/auth/step-up';
import { passwordHashing } from '../../common/rate-limit/password-hashing';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { UserDto } from '../users/dto/user.dto';
import { needsSecondFactor, User } from '../users/entities/user.entity';
import { UsersRepository } from '../users/users.repository';
import { ARGON2_OPTIONS, normaliseEmail, UsersService } from '../users/users.service';
import { AccessTokenDto, LoginDto, LoginResponseDto } from './dto/auth.dto';
import { accessTokenAudience, accessTokenIssuer } from './jwt.strategy';
import { SecondFactorService } from './second-factor.service';
import { type SessionRow, type SignInMethod, SessionsRepository } from './sessions.repository';
import { SignInThrottle } from './sign-in-throttle';

export interface AccessTokenPayload {
  sub: string;
  /** session family: revoking it ends every token of the session at once */
  fam: string;
}

export interface IssuedSession {
  body: LoginResponseDto | AccessTokenDto;
  refreshToken: string;
  /** The end of the session's absolute lifetime: the refresh cookie must not outlive it. */
  sessionExpiresAt: Date;
}

/** A new session, and the device cookie the browser keeps so that its later sign-ins are throttled on its own failures. */
export type SignedIn = IssuedSession & { body: LoginResponseDto; deviceCookie: string };

export interface SignInContext {
  ip: string;
  userAgent: string | undefined;
  method: SignInMethod;
}

/** Why a refresh was refused, where the client should tell the person (401 `reason`). */
export type SessionEndedReason = 'session_idle' | 'session_expired';

const INVALID_CREDENTIALS = 'Invalid email or password';
const INVALID_SESSION = 'Your session has ended; sign in again';
/** The stored user agent is for recognising the device on the Sessions page; no more is needed. */
const USER_AGENT_MAX = 300;
const MFA_MESSAGES = {
  mfa_required: 'Enter the code from your authenticator app (or a recovery code) to finish signing in',
  mfa_invalid: 'That code is not valid; enter the current code from your authenticator app or an unused recovery code',
} as const;
/** For an account whose only second factor is a passkey: the passkey finishes sign-in on its own endpoints. */
const PASSKEY_ONLY_MESSAGES = {
  mfa_required: 'This account signs in with a passkey: use "Sign in with a passkey" (or enter a recovery code)',
  mfa_invalid: 'That recovery code is not valid or has been used; sign in with your passkey instead',
} as const;

/** The 401 reason for a session that ended by itself (idle, expired); null (no reason given) otherwise. */
function endedReason(endReason: string | null): SessionEndedReason | null {
  if (endReason === 'idle') return 'session_idle';
  if (endReason === 'expired') return 'session_expired';
  return null;
}

/** "30 minutes", "30 days", "1 hour" (seconds only where a test shortened the setting). */
function duration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([size]) => seconds % size === 0 && seconds >= size) ?? [1, 'second'];
  const n = seconds / size;
  return `${n} ${name}${n === 1 ? '' : 's'}`;
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

@Injectable()
export class AuthService {
  // Verified against when the email is unknown, so both failures take the same time.
  private readonly dummyHash = argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly usersRepository: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
    private readonly secondFactor: SecondFactorService,
  ) {
    passwordHashing.configure(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  /**
   * Password sign-in (and the second factor, where the account has one). Throttled by progressive delay per
   * account and per address, or, for a browser holding a valid device cookie for the account, per device
   * only (see SignInThrottle); a complete sign-in hands out (or renews) the device cookie.
   */
  async login(dto: LoginDto, client: Omit<SignInContext, 'method'> & { deviceCookie?: string }): Promise<SignedIn> {
    const { ip } = client;
    const email = normaliseEmail(dto.email);
    const user = await this.usersRepository.findByEmailWithPasswordHash(email);
    const source = { ip, deviceId: user ? this.throttle.deviceOf(client.deviceCookie, user.id) : null };
    const counters = this.throttle.passwordCounters(email, source);
    await this.throttle.refuseWhileWaiting(counters);

    const stored = user?.passwordHash ?? (await this.dummyHash);
    const ok = await passwordHashing.run(() => argon2.verify(stored, dto.password).catch(() => false));
    if (!user || !ok) {
      await this.throttle.recordFailure(counters);
      if (user) {
        await this.audit.append(this.dataSource.manager, {
          actorId: null,
          action: 'auth.login_failed',
          subjectType: 'user',
          subjectId: user.id,
          data: {},
          personal: { userId: user.id, data: { ip } },
        });
      }
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }

    // The second factor, when the account has one: the code is used up only if the session is issued.
    const outcome = await this.dataSource.transaction(async (tx) => {
      const check = await this.secondFactor.checkAtSignIn(tx, user, dto.otp);
      if (!check.ok) return check;
      return { ok: true as const, session: await this.startSession(tx, user, { ...client, method: check.factor ?? 'password' }) };
    });
    if (!outcome.ok) {
      // A missing or wrong code counts like a wrong password: otherwise the password would be a free pass to guess codes.
      await this.throttle.recordFailure(counters);
      if (outcome.reason === 'mfa_invalid') {
        await this.audit.append(this.dataSource.manager, {
          actorId: null,
          action: 'auth.login_failed',
          subjectType: 'user',
          subjectId: user.id,
          data: { reason: outcome.reason },
          personal: { userId: user.id, data: { ip } },
        });
      }
      const messages = outcome.methods.includes('totp') ? MFA_MESSAGES : PASSKEY_ONLY_MESSAGES;
      throw new UnauthorizedException({ message: messages[outcome.reason], reason: outcome.reason, methods: outcome.methods });
    }

    // Only a complete sign-in (password and, where on, second factor) clears the failures.
    await this.throttle.recordSuccess(email, source);
    return { ...outcome.session, deviceCookie: this.throttle.deviceCookieFor(user.id, source.deviceId) };
  }

  /**
   * Starts a session for a person who has just proven who they are (password login, passkey sign-in):
   * the session row, its first refresh token and the `auth.login` audit entry, in the caller's
   * transaction. Any method but 'password' proved a second factor, which counts as a step-up.
   */
  async startSession(tx: EntityManager, user: User, ctx: SignInContext): Promise<IssuedSession & { body: LoginResponseDto }> {
    const sessionId = randomUUID();
    const now = new Date();
    const sessionExpiresAt = new Date(now.getTime() + this.config.sessions.maxAgeSeconds * 1000);
    const secondFactorAt = ctx.method === 'password' ? null : now;
    await this.sessions.insertSession(tx, {
      id: sessionId,
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: sessionExpiresAt,
      userAgent: ctx.userAgent?.slice(0, USER_AGENT_MAX) || null,
      ip: ctx.ip,
      signInMethod: ctx.method,
      secondFactorAt,
    });
    const refreshToken = await this.issueRefreshToken(tx, user.id, sessionId, sessionExpiresAt);
    await this.audit.append(tx, {
      actorId: user.id,
      action: 'auth.login',
      subjectType: 'user',
      subjectId: user.id,
      data: { mfa: ctx.method === 'password' ? null : ctx.method },
      // The client address is personal data: kept beside the chain, so that erasing the account erases it.
      personal: { userId: user.id, data: { ip: ctx.ip } },
    });
    const dto = UserDto.from(user);
    const userDto = { ...dto, secondFactor: { ...dto.secondFactor, stepUpUntil: stepUpUntil({ secondFactorAt }, this.config) } };
    return { refreshToken, sessionExpiresAt, body: { ...this.accessToken(user, sessionId), user: userDto } };
  }

  /**
   * Rotates the refresh token. A token that was already rotated is a stolen copy: the session ends.
   * A session past its absolute lifetime, or a staff session unused for longer than the idle timeout,
   * ends here too, and the 401 says which (`reason`), so the client can tell the person why.
   */
  async refresh(presented: string | undefined): Promise<IssuedSession> {
    if (!presented) throw new UnauthorizedException(INVALID_SESSION);
    const outcome = await this.dataSource.transaction(async (tx): Promise<IssuedSession | SessionEndedReason | null> => {
      const token = await this.sessions.findByHashForUpdate(tx, hashToken(presented));
      if (!token) return null;
      const session = await this.sessions.findForUpdate(tx, token.familyId);
      if (!session || session.endedAt) return session && endedReason(session.endReason);
      if (token.revokedAt) return null;
      if (token.rotatedAt) {
        await this.sessions.end(tx, token.userId, session.id, 'refresh_reuse');
        await this.audit.append(tx, {
          actorId: null,
          action: 'auth.refresh_reuse_detected',
          subjectType: 'user',
          subjectId: token.userId,
          data: { familyId: token.familyId },
        });
        return null;
      }
      const user = await this.usersRepository.findById(token.userId, tx);
      if (!user || user.deactivatedAt) return null; // deactivation ends the sessions; this refuses one that raced it
      const ending = this.endingReason(session, user);
      if (ending) {
        await this.sessions.end(tx, user.id, session.id, ending);
        await this.audit.append(tx, {
          actorId: null,
          action: 'auth.session_timed_out',
          subjectType: 'user',
          subjectId: user.id,
          data: { sessionId: session.id, reason: ending },
        });
        return endedReason(ending);
      }
      if (token.expiresAt.getTime() <= Date.now()) return null;
      await this.sessions.markRotated(tx, token.id);
      await this.sessions.touch(tx, session.id);
      const refreshToken = await this.issueRefreshToken(tx, user.id, session.id, session.expiresAt);
      return { refreshToken, sessionExpiresAt: session.expiresAt, body: this.accessToken(user, session.id) };
    });
    if (typeof outcome === 'string') throw new UnauthorizedException({ message: this.endedMessage(outcome), reason: outcome });
    if (!outcome) throw new UnauthorizedException(INVALID_SESSION);
    return outcome;
  }

  /** Shown on the sign-in page, so it says how long: "You were signed out after 30 minutes without activity". */
  private endedMessage(reason: SessionEndedReason): string {
    if (reason === 'session_expired') {
      return `You were signed out because sessions last at most ${duration(this.config.sessions.maxAgeSeconds)}. Sign in again to continue.`;
    }
    return `You were signed out after ${duration(this.config.sessions.staffIdleSeconds)} without activity. Sign in again to continue.`;
  }

  /** 'expired' past the absolute lifetime; 'idle' for a staff session unused for too long; else null. */
  private endingReason(session: SessionRow, user: User): 'expired' | 'idle' | null {
    const now = Date.now();
    if (session.expiresAt.getTime() <= now) return 'expired';
    const idleMs = this.config.sessions.staffIdleSeconds * 1000;
    if (needsSecondFactor(user.roles) && session.lastUsedAt.getTime() < now - idleMs) return 'idle';
    return null;
  }

  async logout(presented: string | undefined): Promise<void> {
    if (!presented) return;
    await this.dataSource.transaction(async (tx) => {
      const token = await this.sessions.findByHashForUpdate(tx, hashToken(presented));
      if (!token || token.revokedAt) return;
      if (!(await this.sessions.end(tx, token.userId, token.familyId, 'signed_out'))) return;
      await this.audit.append(tx, {
        actorId: token.userId,
        action: 'auth.logout',
        subjectType: 'user',
        subjectId: token.userId,
        data: {},
      });
    });
  }

  private accessToken(user: User, familyId: string): AccessTokenDto {
    const payload: AccessTokenPayload = { sub: user.id, fam: familyId };
    return {
      accessToken: this.jwt.sign(payload, {
        expiresIn: this.config.accessTokenTtlSeconds,
        issuer: accessTokenIssuer(this.config),
        audience: accessTokenAudience(this.config),
      }),
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  /** A refresh token lives REFRESH_TOKEN_TTL_DAYS, but never past the end of its session. */
  private async issueRefreshToken(tx: EntityManager, userId: string, sessionId: string, sessionExpiresAt: Date): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = Math.min(Date.now() + this.config.refreshTokenTtlDays * 86_400_000, sessionExpiresAt.getTime());
    await this.sessions.insertToken(tx, {
      userId,
      familyId: sessionId,
      tokenHash: hashToken(token),
      expiresAt: new Date(expiresAt),
    });
    return token;
  }
}
