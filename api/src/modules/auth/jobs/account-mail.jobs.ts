import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { AccountNotice, JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { MailService } from '../../notifications/mail.service';
import { UsersService } from '../../users/users.service';
import { AccountTokensRepository } from '../account-tokens.repository';
import { newAccountToken } from '../accounts.service';

const SIGNATURE = 'Production Safety Framework v1.0 by the Production AI Institute, licensed CC BY 4.0.';
const NOT_YOU = 'If this was not you, you can ignore this message: nothing changes until the link is opened.';

/**
 * The raw token is made here, in the worker, and goes only into the mail; account_tokens keeps its
 * hash. A redelivered job makes a second link (both work until one is used), never a broken one.
 */
@Injectable()
@JobHandler(JobName.SendVerificationEmail)
export class SendVerificationEmailJob implements JobHandlerInstance<JobName.SendVerificationEmail> {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccountTokensRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ userId }: JobPayloads[JobName.SendVerificationEmail]): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user || user.emailVerifiedAt) return; // removed or confirmed since: no link to send
    const { token, hash } = newAccountToken();
    const ttl = this.config.accounts.verifyEmailTokenTtlSeconds;
    const tokenId = await this.tokens.insert(user.id, 'verify_email', hash, ttl);
    await this.mail.send({
      dedupeKey: `verify-email:${tokenId}`,
      template: 'verify-email',
      to: user.email,
      subject: 'Confirm your e-mail address for the PSF certification platform',
      text: [
        `Hello ${user.fullName},`,
        '',
        'Please confirm that this is your e-mail address by opening this link:',
        `${this.config.publicUrl}/verify-email?token=${token}`,
        '',
        `The link works once, for ${Math.round(ttl / 3600)} hours. Until you confirm, you can sign in and prepare, but not`,
        'start an exam, submit a portfolio, book a panel or receive a certificate. An account whose address is not',
        `confirmed within ${this.config.accounts.unverifiedAccountDays} days is deleted.`,
        '',
        NOT_YOU,
        '',
        SIGNATURE,
      ].join('\n'),
    });
  }
}

@Injectable()
@JobHandler(JobName.SendPasswordResetEmail)
export class SendPasswordResetEmailJob implements JobHandlerInstance<JobName.SendPasswordResetEmail> {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: AccountTokensRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ userId, forced }: JobPayloads[JobName.SendPasswordResetEmail]): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) return;
    const { token, hash } = newAccountToken();
    const ttl = this.config.accounts.resetPasswordTokenTtlSeconds;
    const tokenId = await this.tokens.insert(user.id, 'reset_password', hash, ttl);
    await this.mail.send({
      dedupeKey: `reset-password:${tokenId}`,
      template: 'reset-password',
      to: user.email,
      subject: 'Reset your password for the PSF certification platform',
      text: [
        `Hello ${user.fullName},`,
        '',
        forced
          ? 'The certification body has reset the password of your account: the old one no longer works. Choose a new one here:'
          : 'Someone (we hope you) asked to reset the password of your account. Choose a new one here:',
        `${this.config.publicUrl}/reset-password?token=${token}`,
        '',
        `The link works once, for ${Math.max(1, Math.round(ttl / 60))} minutes. Resetting signs out every session of your account.`,
        '',
        forced ? `If the link has expired, ask for a new one at ${this.config.publicUrl}/forgot-password.` : NOT_YOU,
        '',
        SIGNATURE,
      ].join('\n'),
    });
  }
}

const NOTICES: Record<AccountNotice, { subject: string; body: (publicUrl: string) => string[] }> = {
  register_attempt: {
    subject: 'Someone tried to register with your address',
    body: (url) => [
      'Someone tried to create an account on the PSF certification platform with this e-mail address, which',
      'already has an account. Nothing was changed. If it was you, sign in instead, or reset your password at',
      `${url}/forgot-password if you have forgotten it. If it was not you, you need not do anything.`,
    ],
  },
  password_changed: {
    subject: 'Your password was changed',
    body: (url) => [
      'The password of your account was changed, and every other signed-in session was signed out.',
      `If you did not do this, reset your password now at ${url}/forgot-password and tell the certification body.`,
    ],
  },
  password_reset: {
    subject: 'Your password was reset',
    body: (url) => [
      'The password of your account was reset through an e-mailed link, and every session was signed out.',
      `If you did not do this, reset your password now at ${url}/forgot-password and tell the certification body.`,
    ],
  },
  second_factor_changed: {
    subject: 'Your two-step sign-in changed',
    body: (url) => [
      'An authenticator app, a passkey or the recovery codes of your account were just added, removed or replaced.',
      `You can see your sign-in methods and signed-in devices at ${url}/account.`,
      `If you did not do this, reset your password now at ${url}/forgot-password and tell the certification body.`,
    ],
  },
};

@Injectable()
@JobHandler(JobName.SendAccountNotice)
export class SendAccountNoticeJob implements JobHandlerInstance<JobName.SendAccountNotice> {
  constructor(
    private readonly users: UsersService,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ userId, notice }: JobPayloads[JobName.SendAccountNotice]): Promise<void> {
    const user = await this.users.findById(userId);
    if (!user) return;
    const template = NOTICES[notice];
    // At most one notice of a kind per account per minute: a redelivered job adds nothing, and a burst of attempts makes one mail.
    await this.mail.send({
      dedupeKey: `account-notice:${notice}:${user.id}:${new Date().toISOString().slice(0, 16)}`,
      template: `account-${notice.replace('_', '-')}`,
      to: user.email,
      subject: template.subject,
      text: [`Hello ${user.fullName},`, '', ...template.body(this.config.publicUrl), '', SIGNATURE].join('\n'),
    });
  }
}
