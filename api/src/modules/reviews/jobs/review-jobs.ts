import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { DecisionsService } from '../decisions.service';
import { AssignmentJobData, ReviewsService } from '../reviews.service';

export interface AssignReviewersJobData {
  submissionId: string;
}

/** On submit, decline, lapsed offer or overdue review: offer the free places (idempotent). */
@Injectable()
@JobHandler(JobName.AssignReviewers)
export class AssignReviewersJob implements JobHandlerInstance<AssignReviewersJobData> {
  constructor(private readonly reviews: ReviewsService) {}
  async handle({ submissionId }: AssignReviewersJobData): Promise<void> {
    await this.reviews.assign(submissionId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewOfferTimeout)
export class ReviewOfferTimeoutJob implements JobHandlerInstance<AssignmentJobData> {
  constructor(private readonly reviews: ReviewsService) {}
  async handle({ assignmentId }: AssignmentJobData): Promise<void> {
    await this.reviews.offerTimedOut(assignmentId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewOverdue)
export class ReviewOverdueJob implements JobHandlerInstance<AssignmentJobData> {
  constructor(private readonly reviews: ReviewsService) {}
  async handle({ assignmentId }: AssignmentJobData): Promise<void> {
    await this.reviews.overdue(assignmentId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewReminder)
export class ReviewReminderJob implements JobHandlerInstance<AssignmentJobData & { daysBefore: number }> {
  constructor(private readonly reviews: ReviewsService) {}
  async handle({ assignmentId, daysBefore }: AssignmentJobData & { daysBefore: number }): Promise<void> {
    await this.reviews.remind(assignmentId, daysBefore);
  }
}

/** When a review comes in: decide by consensus or send the submission to adjudication (idempotent). */
@Injectable()
@JobHandler(JobName.ConsolidateSubmission)
export class ConsolidateSubmissionJob implements JobHandlerInstance<AssignReviewersJobData> {
  constructor(private readonly decisions: DecisionsService) {}
  async handle({ submissionId }: AssignReviewersJobData): Promise<void> {
    await this.decisions.consolidate(submissionId);
  }
}
