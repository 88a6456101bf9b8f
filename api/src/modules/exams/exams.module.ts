import { Module } from '@nestjs/common';
import { CertificatesModule } from '../certificates/certificates.module';
import { IndependenceModule } from '../independence/independence.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { CandidateAttributesController, ExamAnalysisController } from './analysis/exam-analysis.controller';
import { ExamAnalysisExportService } from './analysis/exam-analysis-export.service';
import { ExamAnalysisRepository } from './analysis/exam-analysis.repository';
import { ExamAnalysisService } from './analysis/exam-analysis.service';
import { AdminExamsController, ExamsController } from './exams.controller';
import { StandardSettingAdminController, StandardSettingRaterController } from './standard-setting/standard-setting.controller';
import { StandardSettingRepository } from './standard-setting/standard-setting.repository';
import { StandardSettingRatersService } from './standard-setting/standard-setting-raters.service';
import { StandardSettingService } from './standard-setting/standard-setting.service';
import { AttemptClosingService } from './attempt-closing.service';
import { AttemptDeadlinesReconciler } from './attempt-deadlines.reconciler';
import { AttemptQuestionsRepository } from './attempt-questions.repository';
import { AttemptsRepository } from './attempts.repository';
import { ExamSettingsService } from './exam-settings.service';
import { ExamWindowsRepository } from './exam-windows.repository';
import { ExamsService } from './exams.service';
import { FormPoolRepository } from './form-pool.repository';
import { ItemVersionContents } from './item-version-contents';
import { AutoSubmitAttemptJob } from './jobs/auto-submit-attempt.job';
import { ExpireOverdueAttemptsJob } from './jobs/expire-overdue-attempts.job';

@Module({
  imports: [CertificatesModule, IndependenceModule, QuestionBankModule],
  controllers: [
    ExamsController,
    AdminExamsController,
    ExamAnalysisController,
    CandidateAttributesController,
    StandardSettingAdminController,
    StandardSettingRaterController,
  ],
  providers: [
    AttemptsRepository,
    AttemptQuestionsRepository,
    FormPoolRepository,
    ItemVersionContents,
    ExamWindowsRepository,
    ExamsService,
    ExamSettingsService,
    AttemptClosingService,
    ExamAnalysisRepository,
    ExamAnalysisService,
    ExamAnalysisExportService,
    StandardSettingRepository,
    StandardSettingService,
    StandardSettingRatersService,
    AutoSubmitAttemptJob,
    ExpireOverdueAttemptsJob,
    AttemptDeadlinesReconciler,
  ],
  exports: [ExamsService, ExamAnalysisService],
})
export class ExamsModule {}
