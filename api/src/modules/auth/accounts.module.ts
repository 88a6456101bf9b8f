import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { CertificatesModule } from '../certificates/certificates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { AccountTokensModule } from './account-tokens.module';
import { AccountsController, PasswordController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { SessionsModule } from './sessions.module';
import { SendAccountNoticeJob, SendPasswordResetEmailJob, SendVerificationEmailJob } from './jobs/account-mail.jobs';
import { PurgeUnverifiedAccountsJob } from './jobs/purge-unverified-accounts.job';

/**
 * E-mail verification and passwords. A feature module of its own (not AuthModule, which holds the
 * process-wide Passport strategy) so that the worker runs its mail and purge jobs too.
 */
@Module({
  imports: [UsersModule, NotificationsModule, CertificatesModule, SessionsModule, AccountTokensModule],
  controllers: [AccountsController, PasswordController],
  providers: [
    AccountsService,
    RateLimiter,
    SendVerificationEmailJob,
    SendPasswordResetEmailJob,
    SendAccountNoticeJob,
    PurgeUnverifiedAccountsJob,
  ],
})
export class AccountsModule {}
