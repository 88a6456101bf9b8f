import { Module } from '@nestjs/common';
import { PanelStage } from './panel-stage';
import { CertificatesModule } from '../certificates/certificates.module';
import { IndependenceModule } from '../independence/independence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import {
  NotifyPanelCandidateJob,
  OpenPanelStageJob,
  PanelReminderJob,
  ReleasePanelSeatsJob,
  RemovePanelRemindersJob,
  SendPanelInvitationJob,
  CheckPanelWaitlistJob,
  NotifyPanelWaitlistJob,
  AlertPanelWaitsJob,
} from './jobs/panel-jobs';
import { AssessorAvailabilityService } from './assessor-availability.service';
import { AssessorsRepository } from './assessors.repository';
import { BookingsRepository } from './bookings.repository';
import { CandidatePanelsService } from './candidate-panels.service';
import { PanelAdminService } from './panel-admin.service';
import { PanelAssignmentsService } from './panel-assignments.service';
import { PanelBookingsService } from './panel-bookings.service';
import { PanelDecisionsService } from './panel-decisions.service';
import { PanelNoticesRepository } from './panel-notices.repository';
import { PanelNoticesService } from './panel-notices.service';
import { PanelRemindersReconciler } from './panel-reminders.reconciler';
import { PanelScoresRepository } from './panel-scores.repository';
import { PanelStageReconciler } from './panel-stage.reconciler';
import { PanelWaitAlertsService } from './panel-wait-alerts.service';
import { PanelWaitlistRepository } from './panel-waitlist.repository';
import { PanelWaitlistService } from './panel-waitlist.service';
import { AdminPanelsController, AssessorPanelsController, CandidatePanelsController } from './panels.controller';
import { PanelsRepository } from './panels.repository';

@Module({
  imports: [CertificatesModule, IndependenceModule, NotificationsModule, QuestionBankModule],
  controllers: [CandidatePanelsController, AssessorPanelsController, AdminPanelsController],
  providers: [
    PanelsRepository,
    BookingsRepository,
    AssessorsRepository,
    PanelScoresRepository,
    PanelNoticesRepository,
    PanelWaitlistRepository,
    PanelWaitlistService,
    PanelWaitAlertsService,
    CandidatePanelsService,
    AssessorAvailabilityService,
    PanelBookingsService,
    PanelAdminService,
    PanelAssignmentsService,
    PanelNoticesService,
    PanelDecisionsService,
    SendPanelInvitationJob,
    PanelReminderJob,
    RemovePanelRemindersJob,
    NotifyPanelCandidateJob,
    OpenPanelStageJob,
    ReleasePanelSeatsJob,
    CheckPanelWaitlistJob,
    NotifyPanelWaitlistJob,
    AlertPanelWaitsJob,
    PanelStage,
    PanelRemindersReconciler,
    PanelStageReconciler,
  ],
  exports: [CandidatePanelsService],
})
export class PanelsModule {}
