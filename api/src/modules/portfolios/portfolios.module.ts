import { Module } from '@nestjs/common';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AttachmentsController, PortfoliosController } from './portfolios.controller';
import { PortfoliosRepository } from './portfolios.repository';
import { PortfoliosService } from './portfolios.service';

@Module({
  imports: [QuestionBankModule],
  controllers: [PortfoliosController, AttachmentsController],
  providers: [PortfoliosRepository, PortfoliosService, FileStorage],
  exports: [PortfoliosService],
})
export class PortfoliosModule {}
