import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { assertEmailVerified } from '../users/email-verification';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import type {
  AppealDto,
  AttachmentDto,
  FeedbackDto,
  PortfolioCredential,
  SubmissionContentDto,
  SubmissionSummaryDto,
} from './dto/portfolio.dto';
import { PortfoliosRepository } from './portfolios.repository';
import { CONTEXT_FIELDS, toAttachmentDto } from './portfolios.service';
import { SubmissionsRepository } from './submissions.repository';

/** A candidate's submitted versions: submitting the draft, the feedback on a decision, and the appeal against it. */
@Injectable()
export class PortfolioSubmissionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly portfolios: PortfoliosRepository,
    private readonly submissions: SubmissionsRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** The candidate's own submitted version, as frozen (404 for anyone else's: its existence is not confirmed). */
  async content(user: AuthUser, submissionId: string): Promise<SubmissionContentDto> {
    const s = await this.submissions.content(submissionId);
    if (!s || s.userId !== user.id) throw new NotFoundException('No such submission');
    const frozen = s.content as {
      context?: Record<string, string>;
      evidence?: Array<{ criterion: string; narrative?: string; attachments?: AttachmentDto[] }>;
    };
    const previous = await this.submissions.previousOf(s.portfolioId, s.version);
    return {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      submittedAt: s.submittedAt.toISOString(),
      previousSubmissionId: previous?.id ?? null,
      context: frozen.context ?? {},
      evidence: (frozen.evidence ?? []).map((e) => ({
        criterion: e.criterion,
        text: this.programme.criterionText(e.criterion) ?? '',
        narrative: e.narrative ?? '',
        attachments: e.attachments ?? [],
      })),
    };
  }

  /**
   * Feedback after the decision: per criterion the consolidated (mean) score and the reviewers'
   * comments, per domain the judgements — never who the reviewers were.
   */
  async feedback(user: AuthUser, submissionId: string): Promise<FeedbackDto> {
    const s = await this.submissions.withDecision(submissionId);
    if (!s || s.userId !== user.id) throw new NotFoundException('No such submission');
    const base = {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      status: s.status,
      submittedAt: s.submittedAt.toISOString(),
    };
    const appeal = await this.submissions.appealOf(submissionId);
    const appealDto = appeal
      ? { id: appeal.id, status: appeal.status, filedAt: appeal.filedAt.toISOString(), outcomeNote: appeal.outcomeNote }
      : null;
    if (!s.outcome) return { ...base, decision: null, appeal: appealDto, criteria: [], domains: [] };
    const reviews = await this.submissions.reviewFeedback(submissionId);
    const criteria = this.programme.criteriaOf(s.credential).map((c) => {
      const scores = reviews.flatMap((r) => r.criterionScores.filter((x) => x.criterion === c.code));
      return {
        criterion: c.code,
        text: c.text,
        score: scores.length ? Math.round((10 * scores.reduce((n, x) => n + x.score, 0)) / scores.length) / 10 : null,
        comments: scores.map((x) => x.comment?.trim()).filter((x): x is string => Boolean(x)),
      };
    });
    const domains = this.programme.framework.domains
      .filter((d) => this.programme.criteriaOf(s.credential).some((c) => c.code.startsWith(d.code)))
      .map((d) => {
        const judgements = reviews.flatMap((r) => r.domainJudgements.filter((j) => j.domain === d.code));
        return {
          code: d.code,
          title: d.title,
          met: judgements.map((j) => j.met),
          comments: judgements.map((j) => j.comment?.trim()).filter((x): x is string => Boolean(x)),
        };
      });
    return {
      ...base,
      decision: { outcome: s.outcome, decidedAt: s.decidedAt!.toISOString(), resubmitUntil: s.resubmitUntil?.toISOString() ?? null },
      appeal: appealDto,
      criteria,
      domains,
    };
  }

  /** An appeal within 30 days of the decision, with grounds; one per submission; the admins are told. */
  async appeal(user: AuthUser, submissionId: string, grounds: string): Promise<AppealDto> {
    const appeal = await this.dataSource.transaction(async (tx) => {
      const s = await this.submissions.lockForAppeal(tx, submissionId);
      if (!s || s.userId !== user.id) throw new NotFoundException('No such submission');
      if (!s.outcome) throw new ConflictException('There is no decision to appeal yet');
      if (s.late) throw new ConflictException('Appeals are possible within 30 days of the decision');
      const row = await this.submissions.insertAppeal(tx, { submissionId, userId: user.id, grounds: grounds.trim() });
      if (!row) throw new ConflictException('This decision has already been appealed');
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'portfolio.appeal_filed',
        subjectType: 'portfolio_submission',
        subjectId: submissionId,
        data: { appealId: row.id },
      });
      return row;
    });
    return { id: appeal.id, status: appeal.status, filedAt: appeal.filedAt.toISOString() };
  }

  /** Freezes the draft into the next immutable version; the draft stays editable for a later version. */
  async submit(user: AuthUser, credential: PortfolioCredential): Promise<SubmissionSummaryDto> {
    assertEmailVerified(user);
    return this.dataSource.transaction(async (tx) => {
      const p = await this.portfolios.find(user.id, credential, tx, true);
      if (!p) throw new NotFoundException(`You have no ${credential} portfolio yet`);
      const latest = await this.submissions.latest(tx, p.id);
      if (latest && !latest.outcome)
        throw new ConflictException(`Version ${latest.version} is under review; a new version can follow a decision to revise`);
      if (latest?.outcome === 'pass') throw new ConflictException(`Your ${credential} portfolio has passed`);
      if (latest?.outcome === 'fail')
        throw new ConflictException(`Version ${latest.version} did not pass; appeal the decision if you believe it is wrong`);
      if (latest?.outcome === 'revise' && latest.closed && latest.resubmitUntil) {
        throw new ConflictException(`The resubmission window closed on ${latest.resubmitUntil.toISOString().slice(0, 10)}`);
      }
      const evidence = new Map((await this.portfolios.evidence(p.id, tx)).map((e) => [e.criterion, e.narrative]));
      const missingContext = CONTEXT_FIELDS.filter((f) => !p.context[f]);
      const missingEvidence = this.programme
        .criteriaOf(credential)
        .filter((c) => !(evidence.get(c.code) ?? '').trim())
        .map((c) => c.code);
      if (missingContext.length || missingEvidence.length) {
        throw new BadRequestException(
          [
            missingContext.length ? `complete the deployment context (${missingContext.join(', ')})` : '',
            missingEvidence.length ? `write a narrative for ${missingEvidence.length} criteria (${missingEvidence.join(', ')})` : '',
          ]
            .filter(Boolean)
            .join('; '),
        );
      }
      const attachments = await this.portfolios.attachments(p.id, tx);
      const content = {
        context: p.context,
        evidence: this.programme.criteriaOf(credential).map((c) => ({
          criterion: c.code,
          narrative: evidence.get(c.code),
          attachments: attachments.filter((a) => a.criterion === c.code).map(toAttachmentDto),
        })),
      };
      const submission = await this.submissions.insert(tx, p, content);
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: submission.id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'portfolio.submitted',
        subjectType: 'portfolio_submission',
        subjectId: submission.id,
        data: { credential, version: submission.version },
      });
      const row = (await this.submissions.summary(tx, submission.id))!;
      return { id: row.id, version: row.version, status: row.status, submittedAt: row.submittedAt.toISOString() };
    });
  }
}
