import { Module } from '@nestjs/common';
import { SigningKeys } from '../../infrastructure/signing/signing-keys';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import {
  AdminCertificatesController,
  CertificatesController,
  JwksController,
  PublicCertificatesController,
} from './certificates.controller';
import { CertificateReissueService } from './certificate-reissue.service';
import { CertificateRemindersService } from './certificate-reminders.service';
import { CertificateStatusService } from './certificate-status.service';
import { CertificatesRepository } from './certificates.repository';
import { CertificatesService } from './certificates.service';
import { CredentialEvents } from './credential-events';
import { CertificateExpiryReminderJob } from './jobs/certificate-expiry-reminder.job';
import { IssueCertificateJob } from './jobs/issue-certificate.job';
import { ReissueForNameChangeJob } from './jobs/reissue-for-name-change.job';

@Module({
  imports: [NotificationsModule, QuestionBankModule],
  controllers: [CertificatesController, PublicCertificatesController, JwksController, AdminCertificatesController],
  providers: [
    CertificatesRepository,
    CertificatesService,
    CertificateStatusService,
    CertificateRemindersService,
    CredentialEvents,
    SigningKeys,
    FileStorage,
    IssueCertificateJob,
    CertificateExpiryReminderJob,
    CertificateReissueService,
    ReissueForNameChangeJob,
  ],
  exports: [CertificatesService, CredentialEvents],
})
export class CertificatesModule {}
