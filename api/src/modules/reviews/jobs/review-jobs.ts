import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { AssignmentsService } from '../assignments.service';
import { DecisionsService } from '../decisions.service';

/** On submit, decline, lapsed offer or overdue review: offer the free places (idempotent). */
@Injectable()
@JobHandler(JobName.AssignReviewers)
export class AssignReviewersJob implements JobHandlerInstance<JobName.AssignReviewers> {
  constructor(private readonly assignments: AssignmentsService) {}
  async handle({ submissionId }: JobPayloads[JobName.AssignReviewers]): Promise<void> {
    await this.assignments.assign(submissionId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewOfferTimeout)
export class ReviewOfferTimeoutJob implements JobHandlerInstance<JobName.ReviewOfferTimeout> {
  constructor(private readonly assignments: AssignmentsService) {}
  async handle({ assignmentId }: JobPayloads[JobName.ReviewOfferTimeout]): Promise<void> {
    await this.assignments.offerTimedOut(assignmentId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewOverdue)
export class ReviewOverdueJob implements JobHandlerInstance<JobName.ReviewOverdue> {
  constructor(private readonly assignments: AssignmentsService) {}
  async handle({ assignmentId }: JobPayloads[JobName.ReviewOverdue]): Promise<void> {
    await this.assignments.overdue(assignmentId);
  }
}

@Injectable()
@JobHandler(JobName.ReviewReminder)
export class ReviewReminderJob implements JobHandlerInstance<JobName.ReviewReminder> {
  constructor(private readonly assignments: AssignmentsService) {}
  async handle({ assignmentId, daysBefore }: JobPayloads[JobName.ReviewReminder]): Promise<void> {
    await this.assignments.remind(assignmentId, daysBefore);
  }
}

/** When a review comes in: decide by consensus or send the submission to adjudication (idempotent). */
@Injectable()
@JobHandler(JobName.ConsolidateSubmission)
export class ConsolidateSubmissionJob implements JobHandlerInstance<JobName.ConsolidateSubmission> {
  constructor(private readonly decisions: DecisionsService) {}
  async handle({ submissionId }: JobPayloads[JobName.ConsolidateSubmission]): Promise<void> {
    await this.decisions.consolidate(submissionId);
  }
}

/** Someone lost their standing as a reviewer: their open assignments are withdrawn and offered again (idempotent). */
@Injectable()
@JobHandler(JobName.ReleaseReviewerAssignments)
export class ReleaseReviewerAssignmentsJob implements JobHandlerInstance<JobName.ReleaseReviewerAssignments> {
  constructor(private readonly decisions: DecisionsService) {}
  async handle({ userId, actorId, cause }: JobPayloads[JobName.ReleaseReviewerAssignments]): Promise<void> {
    await this.decisions.releaseReviewer(userId, actorId, cause);
  }
}
