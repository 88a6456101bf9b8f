import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { REVIEWERS_PER_SUBMISSION } from './assignments.service';
import { exclusionOf } from './reviewer-selection';
import { ReviewersRepository } from './reviewers.repository';
import { type NewOffer, ReviewsRepository } from './reviews.repository';

/** Submissions (and offers) looked at per reconciliation pass; the rest wait for the next one. */
const BATCH = 500;

/**
 * A submission in review is offered to two reviewers, and an offer lapses at its response deadline.
 *
 * - A submission short of reviewers with no open AssignReviewers row is queued again, as its submission, a decline
 *   or a lapse queued it, but only when some reviewer could take it now. A submission waiting because nobody can
 *   (all conflicted, away or at capacity) is not a lost job: the assignment job already told the administrators, and
 *   queueing it on every pass would add a job a minute and repeat its warning. It is queued once someone can (a new
 *   reviewer, a capacity raised, someone back), which the assignment job alone would never notice.
 * - An offer still waiting for its answer with no open ReviewOfferTimeout row gets it again, at its deadline.
 */
@Injectable()
@Reconciler()
export class ReviewOffersReconciler implements ReconcilerInstance {
  readonly name = 'reviews.offers';

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviews: ReviewsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const quietSince = new Date(now.getTime() - this.config.reconcile.graceMs);
    let requeued = 0;
    for (const submissionId of await this.reviews.submissionsShortOfReviewers(REVIEWERS_PER_SUBMISSION, quietSince, BATCH)) {
      if (await this.requeueAssignment(submissionId, now)) requeued += 1;
    }
    for (const offer of await this.reviews.pendingOffers(quietSince, BATCH)) {
      if (await this.requeueTimeout(offer)) requeued += 1;
    }
    return requeued;
  }

  private requeueAssignment(submissionId: string, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (await this.outbox.hasOpen(tx, JobName.AssignReviewers, { submissionId })) return false;
      const party = await this.reviews.submissionParty(tx, submissionId);
      if (!party) return false;
      const pool = await this.reviewers.reviewerPool(tx);
      if (!pool.some((reviewer) => exclusionOf(reviewer, party, now) === null)) return false;
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId });
      return true;
    });
  }

  private requeueTimeout(offer: NewOffer): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      if (await this.outbox.hasOpen(tx, JobName.ReviewOfferTimeout, { assignmentId: offer.id })) return false;
      await this.outbox.enqueue(tx, JobName.ReviewOfferTimeout, { assignmentId: offer.id }, { runAt: offer.respondBy });
      return true;
    });
  }
}
