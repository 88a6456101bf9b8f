import { Module } from '@nestjs/common';
import { PanelStage } from './panel-stage';
import { CertificatesModule } from '../certificates/certificates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { NotifyPanelCandidateJob, PanelReminderJob, RemovePanelRemindersJob, SendPanelInvitationJob } from './jobs/panel-jobs';
import { PanelDecisionsService } from './panel-decisions.service';
import { PanelNoticesService } from './panel-notices.service';
import { AdminPanelsController, AssessorPanelsController, CandidatePanelsController } from './panels.controller';
import { PanelsRepository } from './panels.repository';
import { PanelsService } from './panels.service';

@Module({
  imports: [CertificatesModule, NotificationsModule, QuestionBankModule],
  controllers: [CandidatePanelsController, AssessorPanelsController, AdminPanelsController],
  providers: [
    PanelsRepository,
    PanelsService,
    PanelNoticesService,
    PanelDecisionsService,
    SendPanelInvitationJob,
    PanelReminderJob,
    RemovePanelRemindersJob,
    NotifyPanelCandidateJob,
    PanelStage,
  ],
  exports: [PanelStage],
})
export class PanelsModule {}
