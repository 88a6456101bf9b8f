import { BadRequestException, ConflictException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { UsersRepository } from '../users/users.repository';
import { normaliseEmail } from '../users/users.service';
import { hashAccountToken } from './accounts.service';
import type { MessageDto } from './accounts.dto';
import type { ConfirmEmailChangeDto, RequestEmailChangeDto } from './email-change.dto';
import { EmailChangeTokensRepository } from './email-change-tokens.repository';
import { SessionsRepository } from './sessions.repository';
import { assertReauthAllowed, recordReauthFailure } from './reauth-throttle';

const HOUR = 3600;
const REQUESTS_PER_HOUR = 5;
export const EMAIL_CHANGE_REQUESTED =
  'We have sent a link to the new address: open it within 24 hours to make the change. Until then your address stays as it is.';
const BAD_LINK = 'This link is invalid, has expired or has been used already; ask for the change again';
export const EMAIL_TAKEN = 'This address now belongs to another account, so your address was not changed';

/**
 * E-mail change (issue #13): the new address takes effect only once a link sent to it is opened, and
 * the old address is told at both steps. The request answers the same whether or not the new address
 * has an account (the worker decides, and mails that account's owner instead of sending a link), so it
 * reveals no accounts. Existing certificates are not re-issued: their identity hash is of the address
 * verified at issue, which it still describes; verification by number is unaffected. Certificates
 * issued from now on hash the new address.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UsersRepository,
    private readonly tokens: EmailChangeTokensRepository,
    private readonly sessions: SessionsRepository,
    private readonly rateLimiter: RateLimiter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  async request(user: AuthUser, dto: RequestEmailChangeDto): Promise<MessageDto> {
    // A wrong password counts like a failed sign-in, so a stolen session cannot guess it here.
    await assertReauthAllowed(this.rateLimiter, this.config.loginThrottle, user.id);
    await this.assertUnder(`email-change:account:${user.id}`, REQUESTS_PER_HOUR, HOUR, false, 'address change requests');
    const newEmail = normaliseEmail(dto.newEmail);
    const outcome = await this.dataSource.transaction(async (tx) => {
      const holder = await this.users.holderWithPasswordForUpdate(tx, user.id);
      if (!holder) throw new UnauthorizedException('Sign in to continue');
      if (!(await argon2.verify(holder.passwordHash, dto.password).catch(() => false))) return 'wrong-password' as const;
      if (newEmail === holder.email) throw new BadRequestException('newEmail is already the address of your account');
      // Only the latest request's link works.
      await this.tokens.useAll(tx, user.id, ['change_email']);
      const ttlSeconds = this.config.accounts.changeEmailTokenTtlSeconds;
      // The request's own row: its hash is of a token nobody is given (the worker mails a link of its own).
      const tokenHash = hashAccountToken(randomBytes(32).toString('base64url'));
      const tokenId = await this.tokens.insert(tx, { userId: user.id, newEmail, tokenHash, ttlSeconds });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'auth.email_change_requested',
        subjectType: 'user',
        subjectId: user.id,
        data: {},
      });
      await this.outbox.enqueue(tx, JobName.SendEmailChangeMail, { tokenId, stage: 'requested' });
      return 'requested' as const;
    });
    if (outcome === 'wrong-password') {
      await recordReauthFailure(this.rateLimiter, this.config.loginThrottle, user);
      throw new UnauthorizedException('Your password is not correct');
    }
    return { message: EMAIL_CHANGE_REQUESTED };
  }

  /**
   * Opens the link: the account moves to the address, which counts as verified (the link proved it
   * reads mail there). Every session ends, since the sign-in name changed; links mailed to the old
   * address stop working; the old address is told.
   */
  async confirm(dto: ConfirmEmailChangeDto): Promise<MessageDto> {
    try {
      await this.dataSource.transaction(async (tx) => {
        const row = await this.tokens.findForUpdate(tx, hashAccountToken(dto.token));
        if (!row || row.usedAt || row.expiresAt.getTime() <= Date.now()) throw new BadRequestException(BAD_LINK);
        const holder = await this.users.holderWithPasswordForUpdate(tx, row.userId);
        if (!holder) throw new BadRequestException(BAD_LINK);
        const owner = await this.users.holderByEmail(row.newEmail, tx);
        if (owner && owner.id !== holder.id) throw new ConflictException({ message: EMAIL_TAKEN, reason: 'email_taken' });
        await this.tokens.useAll(tx, holder.id, ['change_email', 'verify_email', 'reset_password']);
        await this.users.changeEmail(tx, holder.id, row.newEmail);
        await this.tokens.recordReplacedEmail(tx, row.id, holder.email);
        const sessionsEnded = await this.sessions.endAllForUser(tx, holder.id, 'email_changed');
        // An account confirmed for the first time by this link: passes withheld for want of a verified address follow now.
        const withheldQueued = holder.emailVerifiedAt ? 0 : await this.credentialEvents.issueWithheld(tx, holder.id);
        await this.audit.append(tx, {
          actorId: holder.id,
          action: 'user.email_changed',
          subjectType: 'user',
          subjectId: holder.id,
          data: { sessionsEnded, withheldCertificatesQueued: withheldQueued },
        });
        await this.outbox.enqueue(tx, JobName.SendEmailChangeMail, { tokenId: row.id, stage: 'confirmed' });
      });
    } catch (error) {
      // Taken between the check and the update (a registration committing at the same moment).
      if ((error as { code?: string }).code === '23505') throw new ConflictException({ message: EMAIL_TAKEN, reason: 'email_taken' });
      throw error;
    }
    return { message: 'Your e-mail address is changed. Sign in with the new address; every session has been signed out.' };
  }

  private async assertUnder(key: string, max: number, windowSeconds: number, peekOnly: boolean, what: string): Promise<void> {
    const count = peekOnly ? await this.rateLimiter.peek(key, windowSeconds) : await this.rateLimiter.hit(key, windowSeconds);
    if (peekOnly ? count.hits >= max : count.hits > max) {
      const retryAfter = Math.max(1, Math.ceil((count.resetsAt.getTime() - Date.now()) / 1000));
      throw new TooManyRequestsException(`Too many ${what}; try again in ${retryAfter} seconds`, retryAfter);
    }
  }
}
