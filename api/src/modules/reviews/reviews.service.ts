import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../notifications/mail.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';
import { AssignmentDto, DeclineDto, PeerReviewDto, ReviewerProfileDto, SubmitReviewDto } from './dto/review.dto';
import { selectReviewers } from './reviewer-selection';
import { ReviewsRepository } from './reviews.repository';

export const REVIEWERS_PER_SUBMISSION = 2;
export const REMINDER_DAYS_BEFORE_DUE = [7, 2];

@Injectable()
export class ReviewsService {
  private readonly logger = new Logger(ReviewsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviews: ReviewsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  async profile(user: AuthUser): Promise<ReviewerProfileDto> {
    const p = await this.reviews.profile(user.id);
    return {
      organisation: p?.organisation ?? '',
      expertise: p?.expertise ?? [],
      maxConcurrent: p?.max_concurrent ?? 3,
      away: p?.away ?? [],
    };
  }

  async saveProfile(user: AuthUser, dto: ReviewerProfileDto): Promise<ReviewerProfileDto> {
    await this.reviews.saveProfile(user.id, dto);
    return this.profile(user);
  }

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
      const picks = selectReviewers(await this.reviews.reviewerPool(tx), party, this.programme.domainsOf(party.credential), need);
      const ids: string[] = [];
      for (const reviewer of picks) {
        const offer = await this.reviews.offer(tx, submissionId, reviewer.id, this.config.review.responseDays);
        if (!offer) continue;
        ids.push(offer.id);
        await this.outbox.enqueue(tx, JobName.ReviewOfferTimeout, { assignmentId: offer.id }, { runAt: offer.respond_by });
        await this.audit.append(tx, {
          actorId: null,
          action: 'review.offered',
          subjectType: 'review_assignment',
          subjectId: offer.id,
          data: { submissionId, reviewerId: reviewer.id },
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

  /** What an assigned reviewer may read: the deployment context when offered (to judge conflicts), everything once accepted. */
  async submissionFor(user: AuthUser, assignmentId: string) {
    const a = await this.reviews.findAssignment(assignmentId);
    if (!a || a.reviewer_id !== user.id || ![...OPEN_ASSIGNMENT_STATES, 'completed'].includes(a.status))
      throw new NotFoundException('No such assignment');
    const [s] = await this.dataSource.query(
      `SELECT s.id, s.credential, s.version, s.content, s.submitted_at, u.full_name, u.email
       FROM portfolio_submissions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
      [a.submission_id],
    );
    const blind = this.config.review.blind;
    return {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      submittedAt: s.submitted_at.toISOString(),
      candidate: blind ? null : { name: s.full_name, email: s.email },
      context: s.content.context,
      evidence: a.status === 'offered' ? [] : s.content.evidence,
    };
  }

  /** One review per assignment; it completes the assignment and triggers consolidation. */
  async submitReview(user: AuthUser, assignmentId: string, dto: SubmitReviewDto): Promise<PeerReviewDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a || a.reviewer_id !== user.id) throw new NotFoundException('No such assignment');
      if (a.status === 'completed') throw new ConflictException('You have already submitted this review');
      if (a.status !== 'accepted') throw new ConflictException(`This assignment is ${a.status}`);
      const [s] = await tx.query(`SELECT credential FROM portfolio_submissions WHERE id = $1`, [a.submission_id]);
      const criteria = this.programme.criteriaOf(s.credential).map((c) => c.code);
      const problems: string[] = [];
      const scored = dto.criterionScores.map((c) => c.criterion);
      const missing = criteria.filter((c) => !scored.includes(c));
      if (missing.length) problems.push(`score every criterion (missing ${missing.join(', ')})`);
      if (new Set(scored).size !== scored.length || scored.some((c) => !criteria.includes(c)))
        problems.push('score each criterion of this portfolio exactly once');
      const uncommented = dto.criterionScores.filter((c) => c.score < 2 && !c.comment?.trim()).map((c) => c.criterion);
      if (uncommented.length) problems.push(`comment on every score below 2 (${uncommented.join(', ')})`);
      const judged = dto.domainJudgements.map((d) => d.domain);
      const domains = this.programme.domainsOf(s.credential);
      if (domains.some((d) => !judged.includes(d)) || judged.some((d) => !domains.includes(d)) || new Set(judged).size !== judged.length) {
        problems.push(`judge each domain exactly once (${domains.join(', ')})`);
      }
      if (problems.length) throw new BadRequestException(problems.join('; '));
      await tx.query(
        `INSERT INTO reviews (assignment_id, submission_id, reviewer_id, criterion_scores, domain_judgements, recommendation) VALUES ($1, $2, $3, $4, $5, $6)`,
        [a.id, a.submission_id, user.id, JSON.stringify(dto.criterionScores), JSON.stringify(dto.domainJudgements), dto.recommendation],
      );
      await this.reviews.setStatus(tx, a, 'completed', { reason: 'review submitted' });
      await this.outbox.enqueue(tx, JobName.ConsolidateSubmission, { submissionId: a.submission_id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'review.submitted',
        subjectType: 'review_assignment',
        subjectId: a.id,
        data: { recommendation: dto.recommendation, scores: dto.criterionScores.map((c) => [c.criterion, c.score]) },
      });
    });
    return this.peerReviews(user, assignmentId);
  }

  /** Independence: the other review becomes visible only after this reviewer has submitted their own. */
  async peerReviews(user: AuthUser, assignmentId: string): Promise<PeerReviewDto[]> {
    const a = await this.reviews.findAssignment(assignmentId);
    if (!a || a.reviewer_id !== user.id) throw new NotFoundException('No such assignment');
    // Invisible (404, like any object one may not see) until this reviewer has submitted their own.
    if (a.status !== 'completed') throw new NotFoundException('Other reviews are shown once you have submitted your own');
    const rows = await this.dataSource.query(
      `SELECT reviewer_id, criterion_scores, domain_judgements, recommendation FROM reviews WHERE submission_id = $1 ORDER BY submitted_at`,
      [a.submission_id],
    );
    return rows.map((r: Record<string, unknown>, i: number) => ({
      label: `Reviewer ${i + 1}`,
      mine: r.reviewer_id === user.id,
      criterionScores: r.criterion_scores,
      domainJudgements: r.domain_judgements,
      recommendation: r.recommendation,
    }));
  }

  async mine(user: AuthUser): Promise<AssignmentDto[]> {
    const rows = await this.reviews.mine(user.id);
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id as string,
      submissionId: r.submission_id as string,
      credential: r.credential as string,
      version: r.version as number,
      status: r.status as string,
      offeredAt: (r.offered_at as Date).toISOString(),
      respondBy: (r.respond_by as Date).toISOString(),
      dueAt: r.due_at ? (r.due_at as Date).toISOString() : null,
      // Blind review (default): reviewers never see who the candidate is.
      candidateName: this.config.review.blind ? null : (r.candidate_name as string),
    }));
  }

  async accept(user: AuthUser, assignmentId: string): Promise<AssignmentDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a || a.reviewer_id !== user.id) throw new NotFoundException('No such assignment');
      if (a.status !== 'offered') throw new ConflictException(`This offer is ${a.status}`);
      if (a.respond_by <= a.now) throw new ConflictException('This offer has expired');
      const accepted = await this.reviews.setStatus(tx, a, 'accepted', { dueDays: this.config.review.dueDays });
      const due = accepted.due_at!.getTime();
      for (const days of REMINDER_DAYS_BEFORE_DUE) {
        await this.outbox.enqueue(
          tx,
          JobName.ReviewReminder,
          { assignmentId: a.id, daysBefore: days },
          { runAt: new Date(due - days * 86_400_000) },
        );
      }
      await this.outbox.enqueue(tx, JobName.ReviewOverdue, { assignmentId: a.id }, { runAt: accepted.due_at! });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'review.accepted',
        subjectType: 'review_assignment',
        subjectId: a.id,
        data: {},
      });
    });
    return this.mine(user);
  }

  /** A decline (or a declared conflict) frees the place; the assignment job offers it to someone else. */
  async decline(user: AuthUser, assignmentId: string, dto: DeclineDto): Promise<AssignmentDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a || a.reviewer_id !== user.id) throw new NotFoundException('No such assignment');
      if (a.status !== 'offered') throw new ConflictException(`This offer is ${a.status}`);
      await this.reviews.setStatus(tx, a, 'declined', { reason: dto.conflict ? 'conflict of interest' : (dto.reason ?? 'declined') });
      if (dto.conflict) await this.reviews.declareConflict(tx, user.id, a.submission_id, dto.reason ?? null);
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submission_id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: dto.conflict ? 'review.conflict_declared' : 'review.declined',
        subjectType: 'review_assignment',
        subjectId: a.id,
        data: { reason: dto.reason ?? null },
      });
    });
    return this.mine(user);
  }

  /** No answer by the response deadline: the offer lapses and the place is offered again. */
  async offerTimedOut(assignmentId: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a || a.status !== 'offered') return;
      if (a.respond_by > a.now) throw new Error(`offer ${assignmentId} is not due yet`);
      await this.reviews.setStatus(tx, a, 'expired', { reason: 'no answer in time' });
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submission_id });
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
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a || a.status !== 'accepted') return null;
      if (a.due_at && a.due_at > a.now) throw new Error(`assignment ${assignmentId} is not overdue yet`);
      await this.reviews.setStatus(tx, a, 'overdue', { reason: 'review not submitted by the due date' });
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submission_id });
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
        `Assignment ${assignmentId} of submission ${closed.submission_id} passed its due date without a review.`,
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
    const reviewer = a && (await this.reviews.reviewerEmail(a.reviewer_id));
    if (!a || !reviewer) return;
    const offer = kind === 'offer';
    await this.mail.send({
      dedupeKey: `review-${kind}:${assignmentId}`,
      template: offer ? 'review-offer' : 'review-reminder',
      to: reviewer.email,
      subject: offer
        ? 'A portfolio review is offered to you'
        : `Reminder: a portfolio review is due ${a.due_at?.toISOString().slice(0, 10)}`,
      text: [
        `Hello ${reviewer.full_name},`,
        '',
        offer
          ? `A portfolio has been offered to you for review. Accept or decline (declaring any conflict of interest) by ${a.respond_by.toISOString().slice(0, 10)} at ${this.config.publicUrl}/reviewer.`
          : `Your review is due on ${a.due_at?.toISOString().slice(0, 10)}: ${this.config.publicUrl}/reviewer.`,
      ].join('\n'),
    });
  }

  private async notifyAdmins(key: string, subject: string, lines: string[]): Promise<void> {
    for (const email of await this.reviews.adminEmails()) {
      await this.mail.send({ dedupeKey: `admin-${key}:${email}`, template: 'admin-alert', to: email, subject, text: lines.join('\n') });
    }
  }
}
