import { Module } from '@nestjs/common';
import { SubmissionStatus } from './submission-status';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AdminConflictDeclarationsController, ConflictDeclarationsController } from './conflict-declarations.controller';
import { ConflictDeclarationsRepository } from './conflict-declarations.repository';
import { ConflictDeclarationsService } from './conflict-declarations.service';
import { AttachmentsController, PortfoliosController } from './portfolios.controller';
import { PortfoliosRepository } from './portfolios.repository';
import { PortfolioSubmissionsService } from './portfolio-submissions.service';
import { PortfoliosService } from './portfolios.service';
import { SubmissionsRepository } from './submissions.repository';

@Module({
  imports: [QuestionBankModule],
  controllers: [PortfoliosController, AttachmentsController, ConflictDeclarationsController, AdminConflictDeclarationsController],
  providers: [
    PortfoliosRepository,
    SubmissionsRepository,
    ConflictDeclarationsRepository,
    PortfoliosService,
    PortfolioSubmissionsService,
    ConflictDeclarationsService,
    SubmissionStatus,
    FileStorage,
  ],
  exports: [PortfoliosService, PortfolioSubmissionsService, SubmissionStatus],
})
export class PortfoliosModule {}
