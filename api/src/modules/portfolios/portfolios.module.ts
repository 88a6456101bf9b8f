import { Module } from '@nestjs/common';
import { SubmissionStatus } from './submission-status';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AttachmentsController, PortfoliosController } from './portfolios.controller';
import { PortfoliosRepository } from './portfolios.repository';
import { PortfoliosService } from './portfolios.service';

@Module({
  imports: [QuestionBankModule],
  controllers: [PortfoliosController, AttachmentsController],
  providers: [PortfoliosRepository, PortfoliosService, SubmissionStatus, FileStorage],
  exports: [PortfoliosService, SubmissionStatus],
})
export class PortfoliosModule {}
