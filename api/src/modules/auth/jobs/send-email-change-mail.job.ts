import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { MailService } from '../../notifications/mail.service';
import { UsersRepository } from '../../users/users.repository';
import { newAccountToken } from '../accounts.service';
import { EmailChangeTokensRepository } from '../email-change-tokens.repository';

const SIGNATURE = 'Production Safety Framework v1.0 by the Production AI Institute, licensed CC BY 4.0.';

/**
 * 'requested': tells the current address, then mails the new address its link, or, when the new
 * address has an account of its own, tells that account's owner instead (the request answered the same
 * either way). 'confirmed': tells the replaced address that the change is done.
 */
@Injectable()
@JobHandler(JobName.SendEmailChangeMail)
export class SendEmailChangeMailJob implements JobHandlerInstance<JobName.SendEmailChangeMail> {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: EmailChangeTokensRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ tokenId, stage }: JobPayloads[JobName.SendEmailChangeMail]): Promise<void> {
    const request = await this.tokens.findById(tokenId);
    if (!request) return;
    const user = await this.users.findById(request.userId);
    if (!user) return;
    if (stage === 'confirmed') return this.tellReplacedAddress(request.id, request.replacedEmail, request.newEmail, user.fullName);
    if (request.usedAt) return; // a newer request, or the change is done: this one sends nothing
    await this.mail.send({
      dedupeKey: `email-change-requested:${request.id}`,
      template: 'email-change-requested',
      to: user.email,
      subject: 'A change of your e-mail address was requested',
      text: this.body(user.fullName, [
        `Someone signed in to your account asked to change its e-mail address to ${request.newEmail}.`,
        'Nothing changes until a link sent to that address is opened.',
        `If this was not you, reset your password now at ${this.config.publicUrl}/forgot-password and tell the certification body.`,
      ]),
    });
    const owner = await this.users.holderByEmail(request.newEmail);
    if (owner && owner.id !== user.id) {
      await this.mail.send({
        dedupeKey: `email-change-taken:${request.id}`,
        template: 'email-change-taken',
        to: owner.email,
        subject: 'Someone tried to move an account to your address',
        text: this.body(owner.fullName, [
          'Someone asked to change the e-mail address of another account on the PSF certification platform to this address,',
          'which already has an account (yours). Nothing was changed, and you need not do anything.',
        ]),
      });
      return;
    }
    const { token, hash } = newAccountToken();
    const ttl = this.config.accounts.changeEmailTokenTtlSeconds;
    const linkId = await this.tokens.insert(null, { userId: user.id, newEmail: request.newEmail, tokenHash: hash, ttlSeconds: ttl });
    await this.mail.send({
      dedupeKey: `confirm-email-change:${linkId}`,
      template: 'confirm-email-change',
      to: request.newEmail,
      subject: 'Confirm your new e-mail address for the PSF certification platform',
      text: this.body(user.fullName, [
        'Please confirm that this is the new e-mail address of your account by opening this link:',
        `${this.config.publicUrl}/confirm-email-change?token=${token}`,
        '',
        `The link works once, for ${Math.round(ttl / 3600)} hours. Opening it signs out every session of the account;`,
        'sign in again with this address.',
        '',
        'If this was not you, you can ignore this message: nothing changes until the link is opened.',
      ]),
    });
  }

  private async tellReplacedAddress(id: string, replacedEmail: string | null, newEmail: string, fullName: string): Promise<void> {
    if (!replacedEmail) return;
    await this.mail.send({
      dedupeKey: `email-changed:${id}`,
      template: 'email-changed',
      to: replacedEmail,
      subject: 'Your e-mail address was changed',
      text: this.body(fullName, [
        `The e-mail address of your account on the PSF certification platform is now ${newEmail}, and every session was signed out.`,
        'Messages about your account and certificates go to the new address from now on.',
        'If you did not do this, tell the certification body at once.',
      ]),
    });
  }

  private body(name: string, lines: string[]): string {
    return [`Hello ${name},`, '', ...lines, '', SIGNATURE].join('\n');
  }
}
