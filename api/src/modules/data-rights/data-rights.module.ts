import { Module } from '@nestjs/common';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { SessionsModule } from '../auth/sessions.module';
import { SignInErasure } from '../auth/sign-in-erasure.repository';
import { CertificatesModule } from '../certificates/certificates.module';
import { ExamPersonalData } from '../exams/exam-personal-data.repository';
import { ExamsModule } from '../exams/exams.module';
import { StoredMail } from '../notifications/stored-mail.repository';
import { NotificationsModule } from '../notifications/notifications.module';
import { PanelPersonalData } from '../panels/panel-personal-data.repository';
import { PanelsModule } from '../panels/panels.module';
import { PortfolioPersonalData } from '../portfolios/portfolio-personal-data.repository';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { ReviewsModule } from '../reviews/reviews.module';
import { SelfAssessmentModule } from '../self-assessment/self-assessment.module';
import { UserPseudonymisation } from '../users/pseudonymisation.repository';
import { UsersModule } from '../users/users.module';
import { AccountDeletionService } from './account-deletion.service';
import { DataExportBuilder, DataExportService } from './data-export.service';
import { DataRightsController } from './data-rights.controller';
import { DataRightsRepository } from './data-rights.repository';
import { ApplyRetentionJob, BuildDataExportJob, EraseAccountFilesJob } from './jobs/data-rights.jobs';
import { PersonalDataExport } from './personal-data-export';
import { RetentionService } from './retention.service';

/**
 * Data rights (GDPR Art. 15, 17, 20) and retention. Every module contributes its own part through its
 * own code: the candidate-facing services for the export's views, and a personal-data repository in the
 * owning module's folder (exams, portfolios, panels, notifications, users, auth, self-assessment) for the rest and for erasure,
 * so each table is still written only by its module's code.
 */
@Module({
  // SessionsModule, not a SessionsRepository of its own: ending the sessions must reach the process's one SessionCheckCache.
  imports: [
    UsersModule,
    NotificationsModule,
    ExamsModule,
    PortfoliosModule,
    ReviewsModule,
    PanelsModule,
    CertificatesModule,
    SelfAssessmentModule,
    SessionsModule,
  ],
  controllers: [DataRightsController],
  providers: [
    DataRightsRepository,
    DataExportService,
    DataExportBuilder,
    PersonalDataExport,
    AccountDeletionService,
    RetentionService,
    BuildDataExportJob,
    EraseAccountFilesJob,
    ApplyRetentionJob,
    RateLimiter,
    FileStorage,
    SignInErasure,
    UserPseudonymisation,
    ExamPersonalData,
    PortfolioPersonalData,
    PanelPersonalData,
    StoredMail,
  ],
})
export class DataRightsModule {}
