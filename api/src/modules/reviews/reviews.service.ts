import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';
import {
  AssignmentDto,
  DeclineDto,
  PeerReviewDto,
  ReviewDraftDto,
  ReviewerProfileDto,
  SavedReviewDraftDto,
  SubmitReviewDto,
} from './dto/review.dto';
import { ReviewersRepository } from './reviewers.repository';
import { ReviewsRepository } from './reviews.repository';

export const REMINDER_DAYS_BEFORE_DUE = [7, 2];

/** A reviewer's own work: profile, offers (accept or decline), reading the submission and submitting the review. */
@Injectable()
export class ReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reviews: ReviewsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  async profile(user: AuthUser): Promise<ReviewerProfileDto> {
    const p = await this.reviewers.profile(user.id);
    return {
      organisation: p?.organisation ?? '',
      expertise: p?.expertise ?? [],
      maxConcurrent: p?.maxConcurrent ?? 3,
      away: p?.away ?? [],
    };
  }

  async saveProfile(user: AuthUser, dto: ReviewerProfileDto): Promise<ReviewerProfileDto> {
    await this.reviewers.saveProfile(user.id, dto);
    return this.profile(user);
  }

  /** What an assigned reviewer may read: the deployment context when offered (to judge conflicts), everything once accepted. */
  async submissionFor(user: AuthUser, assignmentId: string) {
    const a = await this.reviews.findAssignment(assignmentId);
    if (!a || a.reviewerId !== user.id || ![...OPEN_ASSIGNMENT_STATES, 'completed'].includes(a.status))
      throw new NotFoundException('No such assignment');
    const s = await this.reviews.reviewableSubmission(a.submissionId);
    if (!s) throw new NotFoundException('No such assignment');
    const blind = this.config.review.blind;
    return {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      submittedAt: s.submittedAt.toISOString(),
      candidate: blind ? null : { name: s.fullName, email: s.email },
      context: s.content.context,
      // The criterion's own words beside the narrative: reviewers score against the rubric, not a code.
      evidence:
        a.status === 'offered' ? [] : s.content.evidence.map((e) => ({ ...e, text: this.programme.criterionText(e.criterion) ?? '' })),
    };
  }

  /** The reviewer's draft of an accepted assignment (404 when there is none, or the assignment is not theirs to score). */
  async draft(user: AuthUser, assignmentId: string): Promise<SavedReviewDraftDto> {
    const a = await this.reviews.findAssignment(assignmentId);
    if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
    const d = await this.reviews.draft(assignmentId);
    if (!d) throw new NotFoundException('No draft saved for this review');
    return { ...(d.content as ReviewDraftDto), updatedAt: d.updatedAt.toISOString() };
  }

  /**
   * Keeps the review in progress on the server (any device, any reload finds it). Only while the assignment is
   * accepted: an offer is not read yet, and a submitted review is final.
   */
  async saveDraft(user: AuthUser, assignmentId: string, dto: ReviewDraftDto): Promise<SavedReviewDraftDto> {
    return this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
      if (a.status !== 'accepted')
        throw new ConflictException(a.status === 'completed' ? 'You have already submitted this review' : `This assignment is ${a.status}`);
      const credential = await this.reviews.submissionCredential(tx, a.submissionId);
      const criteria = new Set(credential ? this.programme.criteriaOf(credential).map((c) => c.code) : []);
      const domains = new Set(credential ? this.programme.domainsOf(credential) : []);
      const strangers = [
        ...dto.criterionScores.map((c) => c.criterion).filter((c) => !criteria.has(c)),
        ...dto.domainJudgements.map((d) => d.domain).filter((d) => !domains.has(d)),
      ];
      if (strangers.length) throw new BadRequestException(`Not part of this portfolio: ${strangers.slice(0, 5).join(', ')}`);
      const content = { criterionScores: dto.criterionScores, domainJudgements: dto.domainJudgements, recommendation: dto.recommendation };
      const updatedAt = await this.reviews.saveDraft(tx, a.id, content);
      return { ...content, updatedAt: updatedAt.toISOString() };
    });
  }

  /** One review per assignment; it completes the assignment and triggers consolidation. */
  async submitReview(user: AuthUser, assignmentId: string, dto: SubmitReviewDto): Promise<PeerReviewDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
      if (a.status === 'completed') throw new ConflictException('You have already submitted this review');
      if (a.status !== 'accepted') throw new ConflictException(`This assignment is ${a.status}`);
      const credential = await this.reviews.submissionCredential(tx, a.submissionId);
      if (credential === null) throw new NotFoundException('No such assignment');
      const criteria = this.programme.criteriaOf(credential).map((c) => c.code);
      const problems: string[] = [];
      const scored = dto.criterionScores.map((c) => c.criterion);
      const missing = criteria.filter((c) => !scored.includes(c));
      if (missing.length) problems.push(`score every criterion (missing ${missing.join(', ')})`);
      if (new Set(scored).size !== scored.length || scored.some((c) => !criteria.includes(c)))
        problems.push('score each criterion of this portfolio exactly once');
      const uncommented = dto.criterionScores.filter((c) => c.score < 2 && !c.comment?.trim()).map((c) => c.criterion);
      if (uncommented.length) problems.push(`comment on every score below 2 (${uncommented.join(', ')})`);
      const judged = dto.domainJudgements.map((d) => d.domain);
      const domains = this.programme.domainsOf(credential);
      if (domains.some((d) => !judged.includes(d)) || judged.some((d) => !domains.includes(d)) || new Set(judged).size !== judged.length) {
        problems.push(`judge each domain exactly once (${domains.join(', ')})`);
      }
      if (problems.length) throw new BadRequestException(problems.join('; '));
      await this.reviews.insertReview(tx, {
        assignmentId: a.id,
        submissionId: a.submissionId,
        reviewerId: user.id,
        criterionScores: dto.criterionScores,
        domainJudgements: dto.domainJudgements,
        recommendation: dto.recommendation,
      });
      await this.reviews.setStatus(tx, a, 'completed', { reason: 'review submitted' });
      await this.reviews.deleteDraft(tx, a.id);
      await this.outbox.enqueue(tx, JobName.ConsolidateSubmission, { submissionId: a.submissionId });
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
    if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
    // Invisible (404, like any object one may not see) until this reviewer has submitted their own.
    if (a.status !== 'completed') throw new NotFoundException('Other reviews are shown once you have submitted your own');
    const rows = await this.reviews.reviewsOf(a.submissionId);
    return rows.map((r, i) => ({
      label: `Reviewer ${i + 1}`,
      mine: r.reviewerId === user.id,
      criterionScores: r.criterionScores,
      domainJudgements: r.domainJudgements,
      recommendation: r.recommendation,
    }));
  }

  async mine(user: AuthUser): Promise<AssignmentDto[]> {
    const rows = await this.reviews.mine(user.id);
    return rows.map((r) => ({
      id: r.id,
      submissionId: r.submissionId,
      credential: r.credential,
      version: r.version,
      status: r.status,
      offeredAt: r.offeredAt.toISOString(),
      respondBy: r.respondBy.toISOString(),
      dueAt: r.dueAt ? r.dueAt.toISOString() : null,
      // Blind review (default): reviewers never see who the candidate is.
      candidateName: this.config.review.blind ? null : r.candidateName,
    }));
  }

  async accept(user: AuthUser, assignmentId: string): Promise<AssignmentDto[]> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
      if (a.status !== 'offered') throw new ConflictException(`This offer is ${a.status}`);
      if (a.respondBy <= a.now) throw new ConflictException('This offer has expired');
      const accepted = await this.reviews.setStatus(tx, a, 'accepted', { dueDays: this.config.review.dueDays });
      const due = accepted.dueAt!.getTime();
      for (const days of REMINDER_DAYS_BEFORE_DUE) {
        await this.outbox.enqueue(
          tx,
          JobName.ReviewReminder,
          { assignmentId: a.id, daysBefore: days },
          { runAt: new Date(due - days * 86_400_000) },
        );
      }
      await this.outbox.enqueue(tx, JobName.ReviewOverdue, { assignmentId: a.id }, { runAt: accepted.dueAt! });
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
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a || a.reviewerId !== user.id) throw new NotFoundException('No such assignment');
      if (a.status !== 'offered') throw new ConflictException(`This offer is ${a.status}`);
      await this.reviews.setStatus(tx, a, 'declined', { reason: dto.conflict ? 'conflict of interest' : (dto.reason ?? 'declined') });
      if (dto.conflict) await this.reviews.declareConflict(tx, user.id, a.submissionId, dto.reason ?? null);
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submissionId });
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
}
