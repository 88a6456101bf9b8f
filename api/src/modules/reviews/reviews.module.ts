import { Module } from '@nestjs/common';
import { PortfoliosModule } from '../portfolios/portfolios.module';
import { CertificatesModule } from '../certificates/certificates.module';
import { IndependenceModule } from '../independence/independence.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { QuestionBankModule } from '../question-bank/question-bank.module';
import { AssignmentsService } from './assignments.service';
import { DecisionsRepository } from './decisions.repository';
import { DecisionsService } from './decisions.service';
import {
  AssignReviewersJob,
  ConsolidateSubmissionJob,
  ReleaseReviewerAssignmentsJob,
  ReviewOfferTimeoutJob,
  ReviewOverdueJob,
  ReviewReminderJob,
} from './jobs/review-jobs';
import { AdminAppealsController, AdminSubmissionsController, ReviewsController } from './reviews.controller';
import { ReviewOffersReconciler } from './review-offers.reconciler';
import { ReviewersRepository } from './reviewers.repository';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

@Module({
  imports: [CertificatesModule, IndependenceModule, PortfoliosModule, NotificationsModule, QuestionBankModule],
  controllers: [ReviewsController, AdminSubmissionsController, AdminAppealsController],
  providers: [
    ReviewsRepository,
    ReviewersRepository,
    DecisionsRepository,
    ReviewsService,
    AssignmentsService,
    DecisionsService,
    AssignReviewersJob,
    ReviewOfferTimeoutJob,
    ReviewOverdueJob,
    ReviewReminderJob,
    ConsolidateSubmissionJob,
    ReleaseReviewerAssignmentsJob,
    ReviewOffersReconciler,
  ],
  exports: [ReviewsService],
})
export class ReviewsModule {}
