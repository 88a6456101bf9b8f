import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { IndependenceModule } from '../independence/independence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SendNameChangeOutcomeJob } from './jobs/send-name-change-outcome.job';
import { AdminNameChangesController, MyNameChangeController } from './name-changes.controller';
import { NameChangesRepository } from './name-changes.repository';
import { NameChangesService } from './name-changes.service';

/**
 * Name changes: part of the users module's data (name_change_requests, users.full_name), a Nest module
 * of its own only because its outcome mail needs NotificationsModule, which imports UsersModule.
 */
@Module({
  imports: [IndependenceModule, NotificationsModule, SessionsModule],
  controllers: [MyNameChangeController, AdminNameChangesController],
  providers: [NameChangesRepository, NameChangesService, SendNameChangeOutcomeJob],
})
export class NameChangesModule {}
