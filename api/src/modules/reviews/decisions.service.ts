import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import type { StandingLoss } from '../../infrastructure/queue/job-payloads';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { SubmissionStatus } from '../portfolios/submission-status';
import { IndependenceService } from '../independence/independence.service';
import { NotIndependentException } from '../independence/not-independent';
import { decidedState, submissionLifecycle } from '../portfolios/submission-lifecycle';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { assignmentLifecycle } from './assignment-lifecycle';
import { consolidate, type Recommendation } from './consolidation';
import { DecisionsRepository } from './decisions.repository';
import type { AdjudicationDto, AppealSummaryDto, BoardRowDto } from './dto/review.dto';
import { ReviewersRepository } from './reviewers.repository';
import { type Assignment, ReviewsRepository } from './reviews.repository';

export const RESUBMISSION_WINDOW_DAYS = 90;

/** Decisions on portfolio submissions: by consensus of two reviews, by adjudication, or an audited override. */
@Injectable()
export class DecisionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly programme: ProgrammeCatalogue,
    private readonly reviews: ReviewsRepository,
    private readonly reviewers: ReviewersRepository,
    private readonly decisions: DecisionsRepository,
    private readonly credentialEvents: CredentialEvents,
    private readonly submissions: SubmissionStatus,
    private readonly independence: IndependenceService,
  ) {}

  /** Runs when a review comes in: decides when both agree, otherwise marks the submission for adjudication. */
  async consolidate(submissionId: string): Promise<'decided' | 'adjudication' | 'waiting' | 'already-decided'> {
    return this.dataSource.transaction(async (tx) => {
      const s = await this.submissions.lock(tx, submissionId);
      if (!s) return 'waiting';
      if ((await this.decisions.outcomeOf(tx, submissionId)) !== null) return 'already-decided';
      const reviews = await this.reviews.reviewsOf(submissionId, tx);
      if (reviews.length < 2) return 'waiting';
      const result = consolidate(reviews.slice(0, 2), this.programme.domainsOf(s.credential));
      if ('outcome' in result) {
        await this.record(tx, submissionId, result.outcome, 'consensus', null, 'both reviews agree');
        return 'decided';
      }
      // A second run (both reviews in before either job ran) finds it already waiting: no second audit entry.
      if (s.status === 'adjudication') return 'adjudication';
      await this.submissions.move(tx, s, 'adjudication');
      await this.audit.append(tx, {
        actorId: null,
        action: 'portfolio.adjudication_needed',
        subjectType: 'portfolio_submission',
        subjectId: submissionId,
        data: { reason: result.adjudicate },
      });
      return 'adjudication';
    });
  }

  /** The admin pipeline board: every submission with its stage, reviewers, due dates and overdue flags. */
  async board(): Promise<BoardRowDto[]> {
    const rows = await this.decisions.board();
    return rows.map((r) => ({
      submissionId: r.id,
      credential: r.credential,
      version: r.version,
      candidate: r.candidate,
      submittedAt: r.submittedAt.toISOString(),
      stage: r.outcome ? `decided: ${r.outcome}` : r.status === 'adjudication' ? 'adjudication' : 'in review',
      decisionRoute: r.route ?? null,
      assignments: r.assignments,
      overdue: r.assignments.some((a) => a.overdue),
    }));
  }

  /** Manual reassignment: withdraws an open assignment (audited) and offers the place again. */
  async withdraw(actor: AuthUser, assignmentId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, true);
      if (!a) throw new NotFoundException('No such assignment');
      if (!assignmentLifecycle.can(assignmentLifecycle.parse(a.status), 'declined'))
        throw new ConflictException(`This assignment is ${a.status}`);
      await this.withdrawLocked(tx, a, actor.id, reason);
    });
  }

  /**
   * Someone is no longer an active reviewer (deactivated, or the role removed): each open assignment
   * is withdrawn exactly as an administrator's withdrawal is, and its place offered again. Idempotent;
   * nothing happens if they are an active reviewer again by the time this runs.
   */
  async releaseReviewer(reviewerId: string, actorId: string, cause: StandingLoss): Promise<number> {
    return this.dataSource.transaction(async (tx) => {
      if (await this.reviewers.isActiveReviewer(tx, reviewerId)) return 0;
      const reason = cause === 'deactivated' ? "the reviewer's account was deactivated" : 'the reviewer role was removed';
      let withdrawn = 0;
      for (const id of await this.reviews.openAssignmentIdsOf(tx, reviewerId)) {
        const a = await this.reviews.findAssignment(id, tx, true);
        if (!a || !assignmentLifecycle.can(assignmentLifecycle.parse(a.status), 'declined')) continue;
        await this.withdrawLocked(tx, a, actorId, reason);
        withdrawn++;
      }
      return withdrawn;
    });
  }

  /** `a` is locked in `tx` and may move to declined (the stored form of a withdrawal). */
  private async withdrawLocked(tx: EntityManager, a: Pick<Assignment, 'id' | 'status' | 'submissionId'>, actorId: string, reason: string) {
    await this.reviews.setStatus(tx, a, 'declined', { reason: `withdrawn by an administrator: ${reason}` });
    await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submissionId });
    await this.audit.append(tx, {
      actorId,
      action: 'review.withdrawn',
      subjectType: 'review_assignment',
      subjectId: a.id,
      data: { reason },
    });
  }

  async openAppeals(): Promise<AppealSummaryDto[]> {
    const rows = await this.decisions.openAppeals();
    return rows.map((r) => ({
      id: r.id,
      submissionId: r.submissionId,
      credential: r.credential,
      version: r.version,
      candidate: r.candidate,
      decision: r.outcome,
      grounds: r.grounds,
      filedAt: r.filedAt.toISOString(),
    }));
  }

  /**
   * Appeals go to an admin not involved in the decision (neither a reviewer of it nor the one who
   * decided it). Upholding can replace the decision; the outcome is recorded and audited.
   */
  async decideAppeal(actor: AuthUser, appealId: string, upheld: boolean, note: string, newOutcome?: Recommendation) {
    return this.dataSource.transaction(async (tx) => {
      const a = await this.decisions.lockAppeal(tx, appealId);
      if (!a) throw new NotFoundException('No such appeal');
      // Invariant 11: the appeal goes to someone independent of the candidate's case and of the decision appealed.
      await this.independence.assertIndependent(tx, actor.id, a.userId, { decisionOf: a.submissionId });
      if (await this.reviews.isAssigned(tx, a.submissionId, actor.id))
        throw new NotIndependentException('You were involved in this decision; another administrator must handle the appeal');
      if (a.status !== 'open') throw new ConflictException(`This appeal has been ${a.status}`);
      if (upheld && newOutcome && newOutcome !== a.outcome) {
        await this.record(tx, a.submissionId, newOutcome, 'override', actor.id, `appeal upheld: ${note}`);
      }
      await this.submissions.closeAppeal(tx, appealId, upheld ? 'upheld' : 'rejected', actor.id, note);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'portfolio.appeal_decided',
        subjectType: 'portfolio_submission',
        subjectId: a.submissionId,
        data: { appealId, upheld, note, newOutcome: newOutcome ?? null },
      });
      return { id: appealId, status: upheld ? 'upheld' : 'rejected' };
    });
  }

  /**
   * A submission with its reviews side by side, criterion by criterion and domain by domain, with where they differ:
   * the adjudicator's (and an appeal handler's) view. Reviewers are numbered in the order they submitted.
   */
  async adjudicationView(submissionId: string): Promise<AdjudicationDto> {
    const s = await this.reviews.reviewableSubmission(submissionId);
    if (!s) throw new NotFoundException('No such submission');
    const reviews = (await this.reviews.reviewsOf(submissionId)).map((r, i) => ({ ...r, label: `Reviewer ${i + 1}` }));
    return {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      status: s.status,
      submittedAt: s.submittedAt.toISOString(),
      candidate: s.fullName,
      context: s.content.context,
      recommendations: reviews.map((r) => ({ reviewer: r.label, recommendation: r.recommendation })),
      domains: this.programme.domainsOf(s.credential).map((d) => {
        const judgements = reviews.flatMap((r) =>
          r.domainJudgements
            .filter((j) => j.domain === d)
            .map((j) => ({ reviewer: r.label, met: j.met, comment: j.comment?.trim() || null })),
        );
        return { domain: d, title: this.programme.domainTitle(d), judgements, split: new Set(judgements.map((j) => j.met)).size > 1 };
      }),
      criteria: s.content.evidence.map((e) => {
        const scores = reviews.flatMap((r) =>
          r.criterionScores
            .filter((c) => c.criterion === e.criterion)
            .map((c) => ({ reviewer: r.label, score: c.score, comment: c.comment?.trim() || null })),
        );
        const values = scores.map((x) => x.score);
        return {
          criterion: e.criterion,
          text: this.programme.criterionText(e.criterion) ?? '',
          narrative: e.narrative,
          attachments: e.attachments,
          scores,
          spread: values.length ? Math.max(...values) - Math.min(...values) : 0,
        };
      }),
    };
  }

  /** An admin who did not review the submission adjudicates it, or overrides an earlier decision (with a reason). */
  async decide(
    actor: AuthUser,
    submissionId: string,
    outcome: Recommendation,
    reason: string,
  ): Promise<{ outcome: string; route: string }> {
    return this.dataSource.transaction(async (tx) => {
      const s = await this.submissions.lock(tx, submissionId);
      if (!s) throw new NotFoundException('No such submission');
      await this.independence.assertIndependent(tx, actor.id, s.userId);
      // Any offer of this submission counts (even one declined): its context was shown to them.
      if (await this.reviews.isAssigned(tx, submissionId, actor.id))
        throw new NotIndependentException('You reviewed this submission; another administrator must decide it');
      const existing = await this.decisions.outcomeOf(tx, submissionId);
      if (existing === null && s.status !== 'adjudication') throw new ConflictException('This submission is not waiting for adjudication');
      if (!reason.trim()) throw new BadRequestException('reason is required');
      if (existing === outcome) throw new ConflictException(`The decision is already ${outcome}`);
      const route = existing === null ? 'adjudication' : 'override';
      await this.record(tx, submissionId, outcome, route, actor.id, reason);
      return { outcome, route };
    });
  }

  private async record(
    tx: EntityManager,
    submissionId: string,
    outcome: Recommendation,
    route: string,
    actorId: string | null,
    reason: string,
  ) {
    // Locks the submission for every caller (decideAppeal has locked only the appeal) and checks the move.
    const s = await this.submissions.lock(tx, submissionId);
    if (!s) throw new NotFoundException('No such submission');
    submissionLifecycle.assert(s.status, decidedState(outcome));
    const previous = await this.decisions.outcomeOf(tx, submissionId);
    await this.decisions.upsert(tx, {
      submissionId,
      outcome,
      route,
      decidedBy: actorId,
      reason,
      resubmitWithinDays: RESUBMISSION_WINDOW_DAYS,
    });
    await this.submissions.move(tx, s, decidedState(outcome));
    await this.audit.append(tx, {
      actorId,
      action: route === 'override' ? 'portfolio.decision_overridden' : 'portfolio.decided',
      subjectType: 'portfolio_submission',
      subjectId: submissionId,
      data: { outcome, route, reason },
    });
    if (previous === 'pass' && outcome !== 'pass') {
      // Invariant 12: the certificate this pass issued is revoked with the change (or, not issued yet, never will be).
      await this.credentialEvents.withdrawPass(tx, {
        sourceType: 'portfolio_submission',
        sourceId: submissionId,
        actorId,
        decision: { outcome, previousOutcome: previous, route, reason },
      });
    }
    if (outcome === 'pass' && s.credential === 'CPAA') {
      // CPAA is not finished by its portfolio: a pass opens the panel interview stage instead of issuing.
      // The panels module does that (its tables), from the outbox row written with this decision.
      await this.outbox.enqueue(tx, JobName.OpenPanelStage, { submissionId, actorId });
    } else if (outcome === 'pass') {
      // The same entry point as AIDA: a credential event and the issue-certificate job, once per submission.
      await this.credentialEvents.recordPass(tx, {
        userId: s.userId,
        credential: s.credential,
        sourceType: 'portfolio_submission',
        sourceId: submissionId,
      });
    }
  }
}
