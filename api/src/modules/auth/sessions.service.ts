import { ConflictException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { needsSecondFactor } from '../users/entities/user.entity';
import type { SessionDto } from './dto/sessions.dto';
import { SecondFactorService } from './second-factor.service';
import { type SessionRow, SessionsRepository } from './sessions.repository';
import { describeClient } from './user-agent';
import { assertReauthAllowed, recordReauthFailure } from './reauth-throttle';

const STEP_UP_INVALID = 'That code is not valid; enter the current code from your authenticator app or an unused recovery code';

/** The signed-in person's own sessions (the Sessions page) and the step-up that re-opens sensitive actions. */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly secondFactor: SecondFactorService,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
  ) {}

  /** Live sessions, newest first; a staff session past the idle timeout is already over, so it is left out. */
  async list(user: AuthUser): Promise<SessionDto[]> {
    const idleBefore = needsSecondFactor(user.roles) ? Date.now() - this.config.sessions.staffIdleSeconds * 1000 : -Infinity;
    const rows = await this.sessions.listLive(user.id);
    return rows.filter((s) => s.lastUsedAt.getTime() >= idleBefore).map((s) => toDto(s, user.sessionFamilyId));
  }

  /** Signs one of the person's sessions out (this one too, if asked); 404 for anyone else's or an ended one. */
  async end(user: AuthUser, sessionId: string): Promise<void> {
    const current = sessionId === user.sessionFamilyId;
    await this.dataSource.transaction(async (tx) => {
      const ended = await this.sessions.end(tx, user.id, sessionId, current ? 'signed_out' : 'signed_out_elsewhere');
      if (!ended) throw new NotFoundException('No such session: it may have ended already');
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'auth.session_ended',
        subjectType: 'user',
        subjectId: user.id,
        data: { sessionId, current },
      });
    });
  }

  /** Signs out every session but this one. */
  async endOthers(user: AuthUser): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      const ended = await this.sessions.endAllForUser(tx, user.id, 'signed_out_elsewhere', user.sessionFamilyId);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'auth.other_sessions_ended',
        subjectType: 'user',
        subjectId: user.id,
        data: { ended },
      });
      return ended;
    });
  }

  /**
   * Proves the second factor again in this session (an app code or a recovery code), which opens the
   * step-up actions for STEP_UP_WINDOW_MINUTES. A wrong code counts like a failed sign-in of the account,
   * so a stolen session cannot guess its way in.
   */
  async stepUp(user: AuthUser, otp: string): Promise<void> {
    if (user.secondFactorEnabled === false) {
      throw new ConflictException({
        message: 'This account has no second factor yet: set up an authenticator app or a passkey first',
        reason: 'no_second_factor',
      });
    }
    await assertReauthAllowed(this.rateLimiter, this.config.loginThrottle, user.id, 'wrong codes');
    const factor = await this.dataSource.transaction(async (tx) => {
      const used = await this.secondFactor.checkForStepUp(tx, user.id, otp);
      if (used !== 'totp' && used !== 'recovery_code') return used;
      await this.sessions.recordSecondFactor(tx, user.sessionFamilyId);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'auth.step_up',
        subjectType: 'user',
        subjectId: user.id,
        data: { sessionId: user.sessionFamilyId, with: used },
      });
      return used;
    });
    if (factor === 'totp_not_enabled') {
      throw new ConflictException({
        message: 'This account has no authenticator app: confirm with your passkey or a recovery code',
        reason: 'totp_not_enabled',
      });
    }
    if (factor) return;
    await recordReauthFailure(this.rateLimiter, this.config.loginThrottle, user);
    await this.audit.append(this.dataSource.manager, {
      actorId: user.id,
      action: 'auth.step_up_failed',
      subjectType: 'user',
      subjectId: user.id,
      data: { sessionId: user.sessionFamilyId },
    });
    throw new UnauthorizedException({ message: STEP_UP_INVALID, reason: 'mfa_invalid' });
  }
}

function toDto(s: SessionRow, currentId: string): SessionDto {
  return {
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastUsedAt: s.lastUsedAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    client: describeClient(s.userAgent),
    ipAddress: s.ip,
    signInMethod: s.signInMethod as SessionDto['signInMethod'],
    current: s.id === currentId,
  };
}
