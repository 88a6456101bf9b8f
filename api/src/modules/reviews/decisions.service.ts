import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { CredentialEvents } from '../certificates/credential-events';
import { PanelStage } from '../panels/panel-stage';
import { SubmissionStatus } from '../portfolios/submission-status';
import { decidedState, submissionLifecycle } from '../portfolios/submission-lifecycle';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { assignmentLifecycle } from './assignment-lifecycle';
import { consolidate, Recommendation } from './consolidation';
import { ReviewsRepository } from './reviews.repository';

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
    private readonly credentialEvents: CredentialEvents,
    private readonly submissions: SubmissionStatus,
    private readonly panelStage: PanelStage,
  ) {}

  /** Runs when a review comes in: decides when both agree, otherwise marks the submission for adjudication. */
  async consolidate(submissionId: string): Promise<'decided' | 'adjudication' | 'waiting' | 'already-decided'> {
    return this.dataSource.transaction(async (tx) => {
      const s = await this.submissions.lock(tx, submissionId);
      if (!s) return 'waiting';
      const [decided] = await tx.query(`SELECT 1 FROM portfolio_decisions WHERE submission_id = $1`, [submissionId]);
      if (decided) return 'already-decided';
      const reviews: Array<{ recommendation: Recommendation; domain_judgements: Array<{ domain: string; met: boolean }> }> = await tx.query(
        `SELECT recommendation, domain_judgements FROM reviews WHERE submission_id = $1 ORDER BY submitted_at`,
        [submissionId],
      );
      if (reviews.length < 2) return 'waiting';
      const result = consolidate(
        reviews.slice(0, 2).map((r) => ({ recommendation: r.recommendation, domainJudgements: r.domain_judgements })),
        this.programme.domainsOf(s.credential),
      );
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
  async board() {
    const rows = await this.dataSource.query(
      `SELECT s.id, s.credential, s.version, s.status, s.submitted_at, u.full_name AS candidate, d.outcome, d.route,
              coalesce(json_agg(json_build_object('assignmentId', a.id, 'reviewer', r.full_name, 'status', a.status,
                'respondBy', a.respond_by, 'dueAt', a.due_at,
                'overdue', (a.status = 'accepted' AND a.due_at < now()) OR (a.status = 'offered' AND a.respond_by < now())) ORDER BY a.offered_at)
                FILTER (WHERE a.id IS NOT NULL), '[]') AS assignments
       FROM portfolio_submissions s JOIN users u ON u.id = s.user_id
       LEFT JOIN portfolio_decisions d ON d.submission_id = s.id
       LEFT JOIN review_assignments a ON a.submission_id = s.id
       LEFT JOIN users r ON r.id = a.reviewer_id
       GROUP BY s.id, u.full_name, d.outcome, d.route ORDER BY s.submitted_at DESC LIMIT 500`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      submissionId: r.id,
      credential: r.credential,
      version: r.version,
      candidate: r.candidate,
      submittedAt: (r.submitted_at as Date).toISOString(),
      stage: r.outcome ? `decided: ${r.outcome}` : r.status === 'adjudication' ? 'adjudication' : 'in review',
      decisionRoute: r.route ?? null,
      assignments: r.assignments,
      overdue: (r.assignments as Array<{ overdue: boolean }>).some((a) => a.overdue),
    }));
  }

  /** Manual reassignment: withdraws an open assignment (audited) and offers the place again. */
  async withdraw(actor: AuthUser, assignmentId: string, reason: string): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const a = await this.reviews.findAssignment(assignmentId, tx, 'FOR UPDATE');
      if (!a) throw new NotFoundException('No such assignment');
      if (!assignmentLifecycle.can(assignmentLifecycle.parse(a.status), 'declined'))
        throw new ConflictException(`This assignment is ${a.status}`);
      await this.reviews.setStatus(tx, a, 'declined', { reason: `withdrawn by an administrator: ${reason}` });
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: a.submission_id });
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'review.withdrawn',
        subjectType: 'review_assignment',
        subjectId: assignmentId,
        data: { reason },
      });
    });
  }

  async openAppeals() {
    const rows = await this.dataSource.query(
      `SELECT a.id, a.submission_id, a.grounds, a.filed_at, s.credential, s.version, u.full_name AS candidate, d.outcome
       FROM portfolio_appeals a JOIN portfolio_submissions s ON s.id = a.submission_id JOIN users u ON u.id = a.user_id
       JOIN portfolio_decisions d ON d.submission_id = a.submission_id
       WHERE a.status = 'open' ORDER BY a.filed_at`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      id: r.id,
      submissionId: r.submission_id,
      credential: r.credential,
      version: r.version,
      candidate: r.candidate,
      decision: r.outcome,
      grounds: r.grounds,
      filedAt: (r.filed_at as Date).toISOString(),
    }));
  }

  /**
   * Appeals go to an admin not involved in the decision (neither a reviewer of it nor the one who
   * decided it). Upholding can replace the decision; the outcome is recorded and audited.
   */
  async decideAppeal(actor: AuthUser, appealId: string, upheld: boolean, note: string, newOutcome?: Recommendation) {
    return this.dataSource.transaction(async (tx) => {
      const [a] = await tx.query(
        `SELECT a.id, a.submission_id, a.status, d.decided_by, d.outcome FROM portfolio_appeals a
         JOIN portfolio_decisions d ON d.submission_id = a.submission_id WHERE a.id = $1 FOR UPDATE OF a`,
        [appealId],
      );
      if (!a) throw new NotFoundException('No such appeal');
      if (a.status !== 'open') throw new ConflictException(`This appeal has been ${a.status}`);
      const [reviewed] = await tx.query(`SELECT 1 FROM review_assignments WHERE submission_id = $1 AND reviewer_id = $2`, [
        a.submission_id,
        actor.id,
      ]);
      if (reviewed || a.decided_by === actor.id)
        throw new ForbiddenException('You were involved in this decision; another administrator must handle the appeal');
      if (upheld && newOutcome && newOutcome !== a.outcome) {
        await this.record(tx, a.submission_id, newOutcome, 'override', actor.id, `appeal upheld: ${note}`);
      }
      await this.submissions.closeAppeal(tx, appealId, upheld ? 'upheld' : 'rejected', actor.id, note);
      await this.audit.append(tx, {
        actorId: actor.id,
        action: 'portfolio.appeal_decided',
        subjectType: 'portfolio_submission',
        subjectId: a.submission_id,
        data: { appealId, upheld, note, newOutcome: newOutcome ?? null },
      });
      return { id: appealId, status: upheld ? 'upheld' : 'rejected' };
    });
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
      const [reviewed] = await tx.query(`SELECT 1 FROM review_assignments WHERE submission_id = $1 AND reviewer_id = $2`, [
        submissionId,
        actor.id,
      ]);
      if (reviewed) throw new ForbiddenException('You reviewed this submission; another administrator must decide it');
      const [existing] = await tx.query(`SELECT outcome FROM portfolio_decisions WHERE submission_id = $1`, [submissionId]);
      if (!existing && s.status !== 'adjudication') throw new ConflictException('This submission is not waiting for adjudication');
      if (!reason.trim()) throw new BadRequestException('reason is required');
      if (existing?.outcome === outcome) throw new ConflictException(`The decision is already ${outcome}`);
      await this.record(tx, submissionId, outcome, existing ? 'override' : 'adjudication', actor.id, reason);
      return { outcome, route: existing ? 'override' : 'adjudication' };
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
    await tx.query(
      `INSERT INTO portfolio_decisions (submission_id, outcome, route, decided_by, reason, resubmit_until)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $2 = 'revise' THEN now() + make_interval(days => $6::int) END)
       ON CONFLICT (submission_id) DO UPDATE SET outcome = $2, route = $3, decided_by = $4, reason = $5,
         resubmit_until = CASE WHEN $2 = 'revise' THEN now() + make_interval(days => $6::int) END, decided_at = now()`,
      [submissionId, outcome, route, actorId, reason, RESUBMISSION_WINDOW_DAYS],
    );
    await this.submissions.move(tx, s, decidedState(outcome));
    await this.audit.append(tx, {
      actorId,
      action: route === 'override' ? 'portfolio.decision_overridden' : 'portfolio.decided',
      subjectType: 'portfolio_submission',
      subjectId: submissionId,
      data: { outcome, route, reason },
    });
    if (outcome === 'pass' && s.credential === 'CPAA') {
      // CPAA is not finished by its portfolio: a pass opens the panel interview stage instead of issuing.
      await this.panelStage.open(tx, { candidateId: s.userId, submissionId, actorId });
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
