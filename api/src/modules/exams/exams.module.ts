import { Module } from '@nestjs/common';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AdminExamsController, ExamsController } from './exams.controller';
import { ExamsRepository } from './exams.repository';
import { ExamsService } from './exams.service';
import { AutoSubmitAttemptJob } from './jobs/auto-submit-attempt.job';
import { ExpireOverdueAttemptsJob } from './jobs/expire-overdue-attempts.job';

@Module({
  imports: [QuestionBankModule],
  controllers: [ExamsController, AdminExamsController],
  providers: [ExamsRepository, ExamsService, AutoSubmitAttemptJob, ExpireOverdueAttemptsJob],
  exports: [ExamsService],
})
export class ExamsModule {}
