import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../notifications/mail.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { selectReviewers } from './reviewer-selection';
import { ReviewersRepository } from './reviewers.repository';
import { ReviewsRepository } from './reviews.repository';

export const REVIEWERS_PER_SUBMISSION = 2;

/**
 * The assignment machinery the jobs drive: offering submissions to reviewers, lapsing unanswered
 * offers, reassigning overdue reviews, reminding reviewers and alerting the admins.
 */
@Injectable()
export class AssignmentsService {
  private readonly logger = new Logger(AssignmentsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviews: ReviewsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  /**
   * Tops a submission up to two reviewers with no conflict (idempotent: a second run finds the
   * offers made and does nothing). Offers carry a response deadline job; admins hear when nobody fits.
   */
  async assign(submissionId: string): Promise<string[]> {
    const offered = await this.dataSource.transaction(async (tx) => {
      const party = await this.reviews.submissionParty(tx, submissionId);
      if (!party) return [];
      const need = REVIEWERS_PER_SUBMISSION - party.open;
      if (need <= 0) return [];
      const {
        chosen: picks,
        poolSize,
        eligibleCount,
      } = selectReviewers(await this.reviewers.reviewerPool(tx), party, this.programme.domainsOf(party.credential), need);
      const ids: string[] = [];
      for (const reviewer of picks) {
        const offer = await this.reviews.offer(tx, submissionId, reviewer.id, this.config.review.responseDays);
        if (!offer) continue;
        ids.push(offer.id);
        await this.outbox.enqueue(tx, JobName.ReviewOfferTimeout, { assignmentId: offer.id }, { runAt: offer.respondBy });
        await this.audit.append(tx, {
          actorId: null,
          action: 'review.offered',
          subjectType: 'review_assignment',
          subjectId: offer.id,
          // the size of the pool the random draw was made in, so a narrowed pool shows in the record
          data: { submissionId, reviewerId: reviewer.id, poolSize, eligibleCount },
        });
      }
      if (picks.length < need) {
        this.logger.warn(`submission ${submissionId}: only ${picks.length} of ${need} reviewers available`);
        await this.notifyAdmins(`unassignable:${submissionId}:${party.alreadyOffered.length}`, 'A portfolio needs reviewers', [
          `Submission ${submissionId} (${party.credential}) needs ${need} more reviewer(s) but only ${picks.length} without a conflict and with capacity were found.`,
          'Add reviewers or raise capacities, then reassign it from the pipeline board.',
        ]);
      }
      return ids;
    });
    for (const id of offered) await this.mailReviewer(id, 'offer');
    return offered;
  }

  /** No answer by the response deadline: the offer lapses and the place is offered again. */
  async offerTimedOut(assignmentId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.status !== 'offered') return;
      if (a.respondBy > a.now) throw new Error(`offer ${assignmentId} is not due yet`);
      await this.reviews.setStatus(tx, a, 'expired', { reason: 'no answer in time' });
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submissionId });
      await this.audit.append(tx, {
        actorId: null,
        action: 'review.offer_expired',
        subjectType: 'review_assignment',
        subjectId: a.id,
        data: {},
      });
    });
  }

  /** Past the due date without a review: reassign and tell the admins. */
  async overdue(assignmentId: string): Promise<void> {
    const closed = await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.status !== 'accepted') return null;
      if (a.dueAt && a.dueAt > a.now) throw new Error(`assignment ${assignmentId} is not overdue yet`);
      await this.reviews.setStatus(tx, a, 'overdue', { reason: 'review not submitted by the due date' });
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submissionId });
      await this.audit.append(tx, {
        actorId: null,
        action: 'review.overdue_reassigned',
        subjectType: 'review_assignment',
        subjectId: a.id,
        data: {},
      });
      return a;
    });
    if (closed) {
      await this.notifyAdmins(`overdue:${assignmentId}`, 'A review is overdue and has been reassigned', [
        `Assignment ${assignmentId} of submission ${closed.submissionId} passed its due date without a review.`,
        'It has been withdrawn and the submission offered to another reviewer.',
      ]);
    }
  }

  async remind(assignmentId: string, daysBefore: number): Promise<void> {
    const a = await this.reviews.findAssignment(assignmentId);
    if (a?.status === 'accepted') await this.mailReviewer(assignmentId, `reminder-${daysBefore}`);
  }

  private async mailReviewer(assignmentId: string, kind: string): Promise<void> {
    const a = await this.reviews.findAssignment(assignmentId);
    const reviewer = a && (await this.reviewers.reviewerEmail(a.reviewerId));
    if (!a || !reviewer) return;
    const offer = kind === 'offer';
    await this.mail.send({
      dedupeKey: `review-${kind}:${assignmentId}`,
      template: offer ? 'review-offer' : 'review-reminder',
      to: reviewer.email,
      subject: offer
        ? 'A portfolio review is offered to you'
        : `Reminder: a portfolio review is due ${a.dueAt?.toISOString().slice(0, 10)}`,
      text: [
        `Hello ${reviewer.fullName},`,
        '',
        offer
          ? `A portfolio has been offered to you for review. Accept or decline (declaring any conflict of interest) by ${a.respondBy.toISOString().slice(0, 10)} at ${this.config.publicUrl}/reviewer.`
          : `Your review is due on ${a.dueAt?.toISOString().slice(0, 10)}: ${this.config.publicUrl}/reviewer.`,
      ].join('\n'),
    });
  }

  private async notifyAdmins(key: string, subject: string, lines: string[]): Promise<void> {
    for (const email of await this.reviewers.adminEmails()) {
      await this.mail.send({ dedupeKey: `admin-${key}:${email}`, template: 'admin-alert', to: email, subject, text: lines.join('\n') });
    }
  }
}
