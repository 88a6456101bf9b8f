import { BadRequestException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { type PasswordOwner, passwordProblem } from '../../common/auth/password-policy';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { passwordHashing } from '../../common/rate-limit/password-hashing';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { UsersRepository } from '../users/users.repository';
import { ARGON2_OPTIONS, normaliseEmail, UsersService } from '../users/users.service';
import type { AccountTokenPurpose } from './account-tokens.repository';
import { AccountTokensRepository } from './account-tokens.repository';
import { SessionsRepository } from './sessions.repository';
import type { ChangePasswordDto, MessageDto, ResetPasswordDto } from './accounts.dto';
import type { RegisterDto } from './dto/auth.dto';
import { assertReauthAllowed, recordReauthFailure } from './reauth-throttle';

const HOUR = 3600;
export const REGISTER_MESSAGE =
  'Thank you. If this address can be used for a new account, we have sent a link to it: open it within 24 hours to confirm the address.';
export const RESEND_MESSAGE = 'If this address has an account that still needs confirming, we have sent a new link to it.';
export const FORGOT_MESSAGE = 'If this address has an account, we have sent a link to reset its password. The link works for one hour.';
const BAD_LINK = 'This link is invalid, has expired or has been used already; ask for a new one';

/** 32 random bytes for the link; only the SHA-256 is ever stored. */
export function newAccountToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashAccountToken(token) };
}

export function hashAccountToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** E-mail verification and passwords (issue #13): register, verify, resend, forgot/reset and change. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly usersRepository: UsersRepository,
    private readonly tokens: AccountTokensRepository,
    private readonly sessions: SessionsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly credentialEvents: CredentialEvents,
  ) {
    passwordHashing.configure(config.passwordHashing.concurrency, config.passwordHashing.queue);
  }

  /**
   * The same answer, and the same work, for a new address and a taken one: the password is hashed and
   * an account row attempted either way, and the outbox gets the verification mail for a new account
   * or the "someone tried to register with your address" notice for its owner.
   */
  async register(dto: RegisterDto, ip: string): Promise<MessageDto> {
    await this.throttle(
      [{ key: `register:ip:${ip}`, max: this.config.accounts.registerMaxPerIpPerHour }],
      'registrations from your network',
    );
    const email = normaliseEmail(dto.email);
    this.assertAcceptable(dto.password, { email, fullName: dto.fullName });
    const passwordHash = await passwordHashing.run(() => argon2.hash(dto.password, ARGON2_OPTIONS));
    await this.dataSource.transaction(async (tx) => {
      const created = await this.users.registerIfNew(tx, { email, fullName: dto.fullName, passwordHash });
      if (created) return;
      const owner = await this.usersRepository.holderByEmail(email, tx);
      if (!owner) throw new Error('an address that conflicts has no account'); // not reachable: the unique index said it exists
      await this.audit.append(tx, { actorId: null, action: 'auth.register_existing', subjectType: 'user', subjectId: owner.id, data: {} });
      await this.outbox.enqueue(tx, JobName.SendAccountNotice, { userId: owner.id, notice: 'register_attempt' });
    });
    return { message: REGISTER_MESSAGE };
  }

  async verifyEmail(token: string): Promise<MessageDto> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.spend(tx, token, 'verify_email');
      await this.confirmAddress(tx, row.userId, 'verification_link');
    });
    return { message: 'Thank you: your e-mail address is confirmed.' };
  }

  async resendVerification(emailInput: string, ip: string): Promise<MessageDto> {
    const email = normaliseEmail(emailInput);
    await this.throttle(
      [
        { key: `resend:account:${email}`, max: 3 },
        { key: `resend:ip:${ip}`, max: 20 },
      ],
      'requests for a new link',
    );
    const holder = await this.usersRepository.holderByEmail(email);
    if (holder && !holder.emailVerifiedAt) {
      await this.dataSource.transaction((tx) => this.outbox.enqueue(tx, JobName.SendVerificationEmail, { userId: holder.id }));
    }
    return { message: RESEND_MESSAGE };
  }

  /** The same answer and the same round trips whether or not the address has an account. */
  async forgotPassword(emailInput: string, ip: string): Promise<MessageDto> {
    const email = normaliseEmail(emailInput);
    await this.throttle(
      [
        { key: `forgot:account:${email}`, max: 3 },
        { key: `forgot:ip:${ip}`, max: 20 },
      ],
      'password reset requests',
    );
    const holder = await this.usersRepository.holderByEmail(email);
    await this.dataSource.transaction(async (tx) => {
      // Audited either way (without the address): a burst of requests for unknown addresses is worth seeing.
      await this.audit.append(tx, {
        actorId: null,
        action: 'auth.password_reset_requested',
        subjectType: 'user',
        subjectId: holder?.id ?? null,
        data: { known: Boolean(holder) },
      });
      if (holder) await this.outbox.enqueue(tx, JobName.SendPasswordResetEmail, { userId: holder.id });
      else await this.tokens.equivalentNoop(tx);
    });
    return { message: FORGOT_MESSAGE };
  }

  /** Sets the new password, spends the link and ends every session of the account; the owner is told by mail. */
  async resetPassword(dto: ResetPasswordDto): Promise<MessageDto> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.spend(tx, dto.token, 'reset_password');
      const holder = await this.usersRepository.holderWithPasswordForUpdate(tx, row.userId);
      if (!holder) throw new BadRequestException(BAD_LINK);
      this.assertAcceptable(dto.password, holder);
      await this.usersRepository.setPasswordHash(tx, holder.id, await passwordHashing.run(() => argon2.hash(dto.password, ARGON2_OPTIONS)));
      const sessionsEnded = await this.sessions.endAllForUser(tx, holder.id, 'password_reset');
      await this.audit.append(tx, {
        actorId: holder.id,
        action: 'auth.password_reset',
        subjectType: 'user',
        subjectId: holder.id,
        data: { sessionsEnded },
      });
      // The link was mailed to the account's address, so opening it proves that address as a verification link
      // would. It is the address the account has now: only a confirmed e-mail change moves an account to another
      // address, and that confirms the new one (and spends the reset links sent to the old one), so an account
      // still unconfirmed has had one address all along.
      if (!holder.emailVerifiedAt) await this.confirmAddress(tx, holder.id, 'password_reset');
      await this.outbox.enqueue(tx, JobName.SendAccountNotice, { userId: holder.id, notice: 'password_reset' });
    });
    return { message: 'Your password has been changed. Sign in with the new one; every other session has been signed out.' };
  }

  /** Needs the current password; ends every other session (this one stays) and tells the owner by mail. */
  async changePassword(user: AuthUser, dto: ChangePasswordDto): Promise<void> {
    // A wrong current password counts like a failed sign-in, so a stolen session cannot guess it.
    await assertReauthAllowed(this.rateLimiter, this.config.loginThrottle, user.id);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const holder = await this.usersRepository.holderWithPasswordForUpdate(tx, user.id);
      if (!holder) throw new UnauthorizedException('Sign in to continue');
      const current = await passwordHashing.run(() => argon2.verify(holder.passwordHash, dto.currentPassword).catch(() => false));
      if (!current) return 'wrong-current' as const;
      this.assertAcceptable(dto.newPassword, holder);
      if (await argon2.verify(holder.passwordHash, dto.newPassword).catch(() => false)) {
        throw new BadRequestException('newPassword must differ from your current password');
      }
      await this.usersRepository.setPasswordHash(tx, holder.id, await argon2.hash(dto.newPassword, ARGON2_OPTIONS));
      const sessionsEnded = await this.sessions.endAllForUser(tx, holder.id, 'password_changed', user.sessionFamilyId);
      // A reset link asked for earlier (by the owner, or by someone who reads their mail) would undo the new password.
      const resetLinksSpent = await this.tokens.useAll(tx, holder.id, 'reset_password');
      await this.audit.append(tx, {
        actorId: holder.id,
        action: 'auth.password_changed',
        subjectType: 'user',
        subjectId: holder.id,
        data: { otherSessionsEnded: sessionsEnded, resetLinksSpent },
      });
      await this.outbox.enqueue(tx, JobName.SendAccountNotice, { userId: holder.id, notice: 'password_changed' });
      return 'changed' as const;
    });
    if (outcome === 'wrong-current') {
      await recordReauthFailure(this.rateLimiter, this.config.loginThrottle, user);
      throw new UnauthorizedException('Your current password is not correct');
    }
  }

  /**
   * The address is confirmed, by a verification link or by a completed password reset (whose link went to
   * the same address): the verification links still out are spent, and the first confirmation releases
   * the certificates withheld for want of it. Audited as user.email_verified, saying by which link.
   */
  private async confirmAddress(tx: EntityManager, userId: string, via: 'verification_link' | 'password_reset'): Promise<void> {
    if (via !== 'verification_link') await this.tokens.useAll(tx, userId, 'verify_email');
    // The users row is updated (and locked) before the withheld passes are looked up: see CertificatesRepository.holderVerified.
    const confirmed = await this.usersRepository.markEmailVerified(tx, userId);
    if (!confirmed) return;
    // The session check says whether the address is confirmed (exams need it): read afresh from the next request.
    this.sessions.checkAgain(userId);
    const queued = await this.credentialEvents.issueWithheld(tx, userId);
    await this.audit.append(tx, {
      actorId: userId,
      action: 'user.email_verified',
      subjectType: 'user',
      subjectId: userId,
      data: { withheldCertificatesQueued: queued, via },
    });
  }

  /** Locks the token row, refuses an unknown, used or expired one (400), and spends every token of its purpose. */
  private async spend(tx: EntityManager, token: string, purpose: AccountTokenPurpose) {
    const row = await this.tokens.findForUpdate(tx, hashAccountToken(token), purpose);
    if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw new BadRequestException(BAD_LINK);
    await this.tokens.useAll(tx, row.userId, purpose);
    return row;
  }

  private assertAcceptable(password: string, owner: PasswordOwner): void {
    const problem = passwordProblem(password, owner);
    if (problem) throw new BadRequestException(problem);
  }

  /** Counts this request against each limit (or only looks, with peekOnly) and answers 429 when one is exceeded. */
  private async throttle(
    limits: Array<{ key: string; max: number; windowSeconds?: number; peekOnly?: boolean }>,
    what: string,
  ): Promise<void> {
    const counts = await Promise.all(
      limits.map(async (l) => {
        const window = l.windowSeconds ?? HOUR;
        const count = l.peekOnly ? await this.rateLimiter.peek(l.key, window) : await this.rateLimiter.hit(l.key, window);
        return { ...count, over: l.peekOnly ? count.hits >= l.max : count.hits > l.max };
      }),
    );
    const blocked = counts.filter((c) => c.over).map((c) => c.resetsAt.getTime());
    if (blocked.length) {
      const retryAfter = Math.max(1, Math.ceil((Math.max(...blocked) - Date.now()) / 1000));
      throw new TooManyRequestsException(`Too many ${what}; try again in ${retryAfter} seconds`, retryAfter);
    }
  }
}
