import { Module } from '@nestjs/common';
import { BankSyncService } from './bank-sync.service';
import { AdminQuestionBankController, FrameworkController } from './question-bank.controller';
import { QuestionBankRepository } from './question-bank.repository';
import { QuestionBankService } from './question-bank.service';

@Module({
  controllers: [FrameworkController, AdminQuestionBankController],
  providers: [QuestionBankRepository, QuestionBankService, BankSyncService],
  exports: [QuestionBankService, BankSyncService],
})
export class QuestionBankModule {}
