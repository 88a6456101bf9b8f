import { Module } from '@nestjs/common';
import { BankSyncRepository } from './bank-sync.repository';
import { BankSyncService } from './bank-sync.service';
import { ItemReviewController, ItemStageController } from './item-review.controller';
import { ItemReviewRepository } from './item-review.repository';
import { ItemReviewService } from './item-review.service';
import { AdminQuestionBankController, FrameworkController } from './question-bank.controller';
import { QuestionBankRepository } from './question-bank.repository';
import { QuestionBankService } from './question-bank.service';

@Module({
  controllers: [FrameworkController, AdminQuestionBankController, ItemReviewController, ItemStageController],
  providers: [QuestionBankRepository, QuestionBankService, BankSyncRepository, BankSyncService, ItemReviewRepository, ItemReviewService],
  exports: [QuestionBankService, BankSyncService, ItemReviewService],
})
export class QuestionBankModule {}
