import { Module } from '@nestjs/common';
import { SigningModule } from '../../infrastructure/signing/signing.module';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { IndependenceModule } from '../independence/independence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { CredentialKeyRetirementService } from './credential-key-retirement.service';
import {
  AdminCertificatesController,
  CertificatesController,
  JwksController,
  PublicAchievementsController,
  PublicCertificatesController,
} from './certificates.controller';
import { CertificatePassesReconciler } from './certificate-passes.reconciler';
import { LegacySignaturesReconciler } from './legacy-signatures.reconciler';
import { CertificateReissueService } from './certificate-reissue.service';
import { CertificateRemindersReconciler } from './certificate-reminders.reconciler';
import { CertificateRemindersService } from './certificate-reminders.service';
import { CertificateStatusService } from './certificate-status.service';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';
import { CredentialEvents } from './credential-events';
import { CertificateExpiryReminderJob } from './jobs/certificate-expiry-reminder.job';
import { IssueCertificateJob } from './jobs/issue-certificate.job';
import { IssueWithheldCertificatesJob } from './jobs/issue-withheld-certificates.job';
import { ReissueForNameChangeJob } from './jobs/reissue-for-name-change.job';
import { ResignRetiredKeyCredentialsJob } from './jobs/resign-retired-key-credentials.job';
import { StatusListService } from './status-list.service';
import { HolderPagesRepository } from './holder-pages.repository';
import { HolderPagesService } from './holder-pages.service';

@Module({
  imports: [IndependenceModule, NotificationsModule, QuestionBankModule, SigningModule],
  controllers: [
    CertificatesController,
    PublicCertificatesController,
    PublicAchievementsController,
    JwksController,
    AdminCertificatesController,
  ],
  providers: [
    CertificatesRepository,
    CertificatesService,
    CertificateStatusService,
    CertificateRemindersService,
    CredentialEvents,
    FileStorage,
    IssueCertificateJob,
    CertificateExpiryReminderJob,
    CertificateReissueService,
    ReissueForNameChangeJob,
    IssueWithheldCertificatesJob,
    StatusListService,
    CredentialKeyRetirementService,
    ResignRetiredKeyCredentialsJob,
    CertificatePassesReconciler,
    LegacySignaturesReconciler,
    CertificateRemindersReconciler,
    HolderPagesRepository,
    HolderPagesService,
  ],
  exports: [CertificatesService, CredentialEvents, HolderPagesRepository, HolderPagesService],
})
export class CertificatesModule {}
