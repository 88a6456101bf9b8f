import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { CertificatesModule } from '../certificates/certificates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { UsersModule } from '../users/users.module';
import { ConfirmEmailChangeController, EmailChangeController } from './email-change.controller';
import { EmailChangeTokensRepository } from './email-change-tokens.repository';
import { EmailChangeService } from './email-change.service';
import { SendEmailChangeMailJob } from './jobs/send-email-change-mail.job';
import { SessionsModule } from './sessions.module';

/** E-mail change (auth module's data: account_tokens); its own Nest module so the worker runs its mail job. */
@Module({
  imports: [UsersModule, NotificationsModule, CertificatesModule, SessionsModule],
  controllers: [EmailChangeController, ConfirmEmailChangeController],
  providers: [EmailChangeService, EmailChangeTokensRepository, RateLimiter, SendEmailChangeMailJob],
})
export class EmailChangeModule {}
