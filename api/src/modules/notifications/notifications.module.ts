import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { AdminRecipientsRepository } from './admin-recipients.repository';
import { AlertJobFailedJob } from './jobs/alert-job-failed.job';
import { SendWelcomeEmailJob } from './jobs/send-welcome-email.job';
import { MailService } from './mail.service';
import { MyNotificationsController, NotificationsController } from './notifications.controller';
import { NotificationsRepository } from './notifications.repository';

@Module({
  imports: [UsersModule],
  controllers: [NotificationsController, MyNotificationsController],
  providers: [NotificationsRepository, MailService, SendWelcomeEmailJob, AdminRecipientsRepository, AlertJobFailedJob],
  exports: [MailService, AdminRecipientsRepository],
})
export class NotificationsModule {}
