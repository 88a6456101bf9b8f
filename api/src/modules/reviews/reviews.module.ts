import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AssignReviewersJob, ReviewOfferTimeoutJob, ReviewOverdueJob, ReviewReminderJob } from './jobs/review-jobs';
import { ReviewsController } from './reviews.controller';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [NotificationsModule, QuestionBankModule],
  controllers: [ReviewsController],
  providers: [ReviewsRepository, ReviewsService, AssignReviewersJob, ReviewOfferTimeoutJob, ReviewOverdueJob, ReviewReminderJob],
  exports: [ReviewsService],
})
export class ReviewsModule {}
