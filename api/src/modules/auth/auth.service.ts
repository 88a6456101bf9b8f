import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { UserDto } from '../users/dto/user.dto';
import { User } from '../users/entities/user.entity';
import { UsersRepository } from '../users/users.repository';
import { ARGON2_OPTIONS, normaliseEmail, UsersService } from '../users/users.service';
import { AccessTokenDto, LoginDto, LoginResponseDto } from './dto/auth.dto';
import { SecondFactorService } from './second-factor.service';
import { SessionsRepository } from './sessions.repository';

export interface AccessTokenPayload {
  sub: string;
  /** session family: revoking it ends every token of the session at once */
  fam: string;
}

export interface IssuedSession {
  body: LoginResponseDto | AccessTokenDto;
  refreshToken: string;
}

const INVALID_CREDENTIALS = 'Invalid email or password';
const INVALID_SESSION = 'Your session has ended; sign in again';
const MFA_MESSAGES = {
  mfa_required: 'Enter the code from your authenticator app (or a recovery code) to finish signing in',
  mfa_invalid: 'That code is not valid; enter the current code from your authenticator app or an unused recovery code',
} as const;

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
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  async login(dto: LoginDto, ip: string): Promise<IssuedSession & { body: LoginResponseDto }> {
    const email = normaliseEmail(dto.email);
    const { windowSeconds, maxFailuresPerAccount, maxFailuresPerIp } = this.config.loginThrottle;
    const accountKey = `login:account:${email}`;
    const ipKey = `login:ip:${ip}`;
    const [account, source] = await Promise.all([
      this.rateLimiter.peek(accountKey, windowSeconds),
      this.rateLimiter.peek(ipKey, windowSeconds),
    ]);
    const blocked = [account.hits >= maxFailuresPerAccount && account, source.hits >= maxFailuresPerIp && source]
      .filter((w): w is typeof account => Boolean(w))
      .map((w) => w.resetsAt.getTime());
    if (blocked.length) {
      const retryAfter = Math.max(1, Math.ceil((Math.max(...blocked) - Date.now()) / 1000));
      throw new TooManyRequestsException(`Too many failed sign-in attempts; try again in ${retryAfter} seconds`, retryAfter);
    }

    const user = await this.usersRepository.findByEmailWithPasswordHash(email);
    const ok = await argon2.verify(user?.passwordHash ?? (await this.dummyHash), dto.password).catch(() => false);
    if (!user || !ok) {
      await Promise.all([this.rateLimiter.hit(accountKey, windowSeconds), this.rateLimiter.hit(ipKey, windowSeconds)]);
      if (user) {
        await this.audit.append(this.dataSource.manager, {
          actorId: null,
          action: 'auth.login_failed',
          subjectType: 'user',
          subjectId: user.id,
          data: { ip },
        });
      }
      throw new UnauthorizedException(INVALID_CREDENTIALS);
    }

    // The second factor, when the account has one: the code is used up only if the session is issued.
    const familyId = randomUUID();
    const outcome = await this.dataSource.transaction(async (tx) => {
      const check = await this.secondFactor.checkAtSignIn(tx, user, dto.otp);
      if (!check.ok) return check;
      const token = await this.issueRefreshToken(tx, user.id, familyId);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'auth.login',
        subjectType: 'user',
        subjectId: user.id,
        data: { ip, mfa: check.factor },
      });
      return { ...check, refreshToken: token };
    });
    if (!outcome.ok) {
      // A missing or wrong code counts like a wrong password: otherwise the password would be a free pass to guess codes.
      await Promise.all([this.rateLimiter.hit(accountKey, windowSeconds), this.rateLimiter.hit(ipKey, windowSeconds)]);
      if (outcome.reason === 'mfa_invalid') {
        await this.audit.append(this.dataSource.manager, {
          actorId: null,
          action: 'auth.login_failed',
          subjectType: 'user',
          subjectId: user.id,
          data: { ip, reason: outcome.reason },
        });
      }
      throw new UnauthorizedException({ message: MFA_MESSAGES[outcome.reason], reason: outcome.reason });
    }

    // Only a complete sign-in (password and, where on, second factor) clears the account's failures.
    await this.rateLimiter.reset(accountKey);
    return {
      refreshToken: outcome.refreshToken,
      body: { ...this.accessToken(user, familyId), user: UserDto.from(user) },
    };
  }

  /** Rotates the refresh token. A token that was already rotated is a stolen copy: the family dies. */
  async refresh(presented: string | undefined): Promise<IssuedSession> {
    if (!presented) throw new UnauthorizedException(INVALID_SESSION);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const token = await this.sessions.findByHashForUpdate(tx, hashToken(presented));
      if (!token || token.revokedAt) return null;
      if (token.rotatedAt) {
        await this.sessions.revokeFamily(tx, token.familyId);
        await this.audit.append(tx, {
          actorId: null,
          action: 'auth.refresh_reuse_detected',
          subjectType: 'user',
          subjectId: token.userId,
          data: { familyId: token.familyId },
        });
        return null;
      }
      if (token.expiresAt.getTime() <= Date.now()) return null;
      const user = await this.usersRepository.findById(token.userId, tx);
      if (!user) return null;
      await this.sessions.markRotated(tx, token.id);
      const refreshToken = await this.issueRefreshToken(tx, user.id, token.familyId);
      return { refreshToken, body: this.accessToken(user, token.familyId) };
    });
    if (!outcome) throw new UnauthorizedException(INVALID_SESSION);
    return outcome;
  }

  async logout(presented: string | undefined): Promise<void> {
    if (!presented) return;
    await this.dataSource.transaction(async (tx) => {
      const token = await this.sessions.findByHashForUpdate(tx, hashToken(presented));
      if (!token || token.revokedAt) return;
      await this.sessions.revokeFamily(tx, token.familyId);
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
      accessToken: this.jwt.sign(payload, { expiresIn: this.config.accessTokenTtlSeconds }),
      expiresIn: this.config.accessTokenTtlSeconds,
    };
  }

  private async issueRefreshToken(tx: EntityManager, userId: string, familyId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.sessions.insertToken(tx, {
      userId,
      familyId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + this.config.refreshTokenTtlDays * 86_400_000),
    });
    return token;
  }
}
