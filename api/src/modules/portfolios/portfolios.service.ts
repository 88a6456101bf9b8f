import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { AuditService } from '../audit/audit.service';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import {
  AttachmentDto,
  DeploymentContextDto,
  PortfolioCredential,
  PortfolioDto,
  ReviewerNameDto,
  SubmissionSummaryDto,
} from './dto/portfolio.dto';
import { detectEvidenceType } from './file-type';
import { AttachmentRow, PortfolioRow, PortfoliosRepository } from './portfolios.repository';

const CONTEXT_FIELDS: Array<keyof DeploymentContextDto> = ['system', 'organisation', 'modelsUsed', 'usersAffected', 'riskLevel'];

@Injectable()
export class PortfoliosService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly portfolios: PortfoliosRepository,
    private readonly storage: FileStorage,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** The criteria a credential's portfolio covers: CPAP D01–D07 (35), CPAA D01–D08 (40). */
  criteriaOf(credential: PortfolioCredential) {
    return this.programme.criteriaOf(credential);
  }

  /** The candidate's working draft (created on first visit), once they hold the prerequisites set in credentials.yaml. */
  async draft(user: AuthUser, credential: PortfolioCredential): Promise<PortfolioDto> {
    const required = this.programme.credential(credential).requires;
    const held = await this.portfolios.passedCredentials(user.id);
    const missing = required.filter((c) => !held.includes(c));
    if (missing.length) {
      const names = missing.map((c) => (c === 'AIDA' ? 'the AIDA examination' : `the ${c} certification`)).join(' and ');
      throw new ConflictException(`A ${credential} portfolio opens once you have passed ${names}`);
    }
    return this.toDto(await this.portfolios.findOrCreate(user.id, credential));
  }

  private async own(user: AuthUser, credential: PortfolioCredential): Promise<PortfolioRow> {
    const p = await this.portfolios.find(user.id, credential);
    if (!p) throw new NotFoundException(`You have no ${credential} portfolio yet`);
    return p;
  }

  private checkCriterion(credential: PortfolioCredential, criterion: string): void {
    if (!this.criteriaOf(credential).some((c) => c.code === criterion)) {
      throw new NotFoundException(`${criterion} is not a criterion of the ${credential} portfolio`);
    }
  }

  async saveContext(user: AuthUser, credential: PortfolioCredential, dto: DeploymentContextDto): Promise<PortfolioDto> {
    const p = await this.own(user, credential);
    const patch = Object.fromEntries(CONTEXT_FIELDS.filter((f) => dto[f] !== undefined).map((f) => [f, String(dto[f]).trim()]));
    await this.portfolios.mergeContext(p.id, patch);
    return this.toDto((await this.portfolios.find(user.id, credential))!);
  }

  async saveNarrative(user: AuthUser, credential: PortfolioCredential, criterion: string, narrative: string): Promise<PortfolioDto> {
    this.checkCriterion(credential, criterion);
    const p = await this.own(user, credential);
    await this.portfolios.saveNarrative(p.id, criterion, narrative);
    return this.toDto((await this.portfolios.find(user.id, credential))!);
  }

  /** Checks the bytes (type, size) before anything is stored: a refused upload leaves no trace. */
  async addAttachment(
    user: AuthUser,
    credential: PortfolioCredential,
    criterion: string,
    file: { originalname: string; buffer: Buffer; size: number } | undefined,
  ): Promise<AttachmentDto> {
    this.checkCriterion(credential, criterion);
    const p = await this.own(user, credential);
    if (!file) throw new BadRequestException('Attach a file in the "file" field');
    if (file.size > this.config.maxAttachmentBytes) {
      throw new PayloadTooLargeException(`Attachments are limited to ${Math.round(this.config.maxAttachmentBytes / 1_048_576)} MB`);
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a stored file name must not carry
    const fileName = file.originalname.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'evidence';
    const detected = detectEvidenceType(file.buffer, fileName);
    if ('refused' in detected) throw new BadRequestException(`"${fileName}" ${detected.refused}`);
    const id = randomUUID();
    const key = `portfolios/${p.id}/${id}`;
    await this.storage.put(key, file.buffer);
    const row = await this.portfolios.insertAttachment({
      id,
      portfolio_id: p.id,
      criterion,
      file_name: fileName,
      media_type: detected.type,
      size_bytes: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      storage_key: key,
    });
    return toAttachmentDto(row);
  }

  async removeAttachment(user: AuthUser, attachmentId: string): Promise<void> {
    const a = await this.portfolios.attachmentWithOwner(attachmentId);
    if (!a || a.user_id !== user.id) throw new NotFoundException('No such attachment');
    await this.portfolios.removeAttachment(attachmentId);
  }

  /** Per-object authorisation: the owner, an admin, or a reviewer assigned to a submission that lists it. */
  async download(user: AuthUser, attachmentId: string): Promise<{ data: Buffer; row: AttachmentRow }> {
    const a = await this.portfolios.attachmentWithOwner(attachmentId);
    const allowed =
      a &&
      (a.user_id === user.id || user.roles.includes('admin') || (await this.portfolios.assignedReviewerMayRead(user.id, attachmentId)));
    if (!a || !allowed) throw new NotFoundException('No such attachment');
    const data = await this.storage.get(a.storage_key);
    if (!data) throw new NotFoundException('No such attachment');
    return { data, row: a };
  }

  /** The reviewer list a candidate picks exclusions from (names and organisations only). */
  async reviewerNames(): Promise<ReviewerNameDto[]> {
    return (await this.portfolios.reviewers()).map((r) => ({ id: r.id, fullName: r.full_name, organisation: r.organisation ?? '' }));
  }

  async setExclusions(user: AuthUser, credential: PortfolioCredential, reviewerIds: string[]): Promise<string[]> {
    const p = await this.own(user, credential);
    await this.portfolios.setExclusions(p.id, reviewerIds);
    return (await this.portfolios.exclusions(p.id)).map((e) => e.reviewer_id);
  }

  /**
   * Feedback after the decision: per criterion the consolidated (mean) score and the reviewers'
   * comments, per domain the judgements — never who the reviewers were.
   */
  async feedback(user: AuthUser, submissionId: string) {
    const [s] = await this.dataSource.query(
      `SELECT s.id, s.user_id, s.credential, s.version, s.status, s.submitted_at, d.outcome, d.decided_at, d.resubmit_until
       FROM portfolio_submissions s LEFT JOIN portfolio_decisions d ON d.submission_id = s.id WHERE s.id = $1`,
      [submissionId],
    );
    if (!s || s.user_id !== user.id) throw new NotFoundException('No such submission');
    const base = {
      submissionId: s.id,
      credential: s.credential,
      version: s.version,
      status: s.status,
      submittedAt: s.submitted_at.toISOString(),
    };
    const [appeal] = await this.dataSource.query(
      `SELECT id, status, filed_at, outcome_note FROM portfolio_appeals WHERE submission_id = $1`,
      [submissionId],
    );
    const appealDto = appeal
      ? { id: appeal.id, status: appeal.status, filedAt: appeal.filed_at.toISOString(), outcomeNote: appeal.outcome_note }
      : null;
    if (!s.outcome) return { ...base, decision: null, appeal: appealDto, criteria: [], domains: [] };
    const reviews: Array<{
      criterion_scores: Array<{ criterion: string; score: number; comment?: string }>;
      domain_judgements: Array<{ domain: string; met: boolean; comment?: string }>;
    }> = await this.dataSource.query(`SELECT criterion_scores, domain_judgements FROM reviews WHERE submission_id = $1 ORDER BY random()`, [
      submissionId,
    ]);
    const criteria = this.criteriaOf(s.credential).map((c) => {
      const scores = reviews.flatMap((r) => r.criterion_scores.filter((x) => x.criterion === c.code));
      return {
        criterion: c.code,
        text: c.text,
        score: scores.length ? Math.round((10 * scores.reduce((n, x) => n + x.score, 0)) / scores.length) / 10 : null,
        comments: scores.map((x) => x.comment?.trim()).filter((x): x is string => Boolean(x)),
      };
    });
    const domains = this.programme.framework.domains
      .filter((d) => this.criteriaOf(s.credential).some((c) => c.code.startsWith(d.code)))
      .map((d) => {
        const judgements = reviews.flatMap((r) => r.domain_judgements.filter((j) => j.domain === d.code));
        return {
          code: d.code,
          title: d.title,
          met: judgements.map((j) => j.met),
          comments: judgements.map((j) => j.comment?.trim()).filter(Boolean),
        };
      });
    return {
      ...base,
      decision: { outcome: s.outcome, decidedAt: s.decided_at.toISOString(), resubmitUntil: s.resubmit_until?.toISOString() ?? null },
      appeal: appealDto,
      criteria,
      domains,
    };
  }

  /** An appeal within 30 days of the decision, with grounds; one per submission; the admins are told. */
  async appeal(user: AuthUser, submissionId: string, grounds: string) {
    const appeal = await this.dataSource.transaction(async (tx) => {
      const [s] = await tx.query(
        `SELECT s.id, s.user_id, d.outcome, d.decided_at, d.decided_at + interval '30 days' < now() AS late
         FROM portfolio_submissions s LEFT JOIN portfolio_decisions d ON d.submission_id = s.id WHERE s.id = $1 FOR UPDATE OF s`,
        [submissionId],
      );
      if (!s || s.user_id !== user.id) throw new NotFoundException('No such submission');
      if (!s.outcome) throw new ConflictException('There is no decision to appeal yet');
      if (s.late) throw new ConflictException('Appeals are possible within 30 days of the decision');
      const [row] = await tx.query(
        `INSERT INTO portfolio_appeals (submission_id, user_id, grounds) VALUES ($1, $2, $3) ON CONFLICT (submission_id) DO NOTHING RETURNING id, status, filed_at`,
        [submissionId, user.id, grounds.trim()],
      );
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
    return { id: appeal.id, status: appeal.status, filedAt: appeal.filed_at.toISOString() };
  }

  /** Freezes the draft into the next immutable version; the draft stays editable for a later version. */
  async submit(user: AuthUser, credential: PortfolioCredential): Promise<SubmissionSummaryDto> {
    return this.dataSource.transaction(async (tx) => {
      const p = await this.portfolios.find(user.id, credential, tx, 'FOR UPDATE');
      if (!p) throw new NotFoundException(`You have no ${credential} portfolio yet`);
      const [latest] = await tx.query(
        `SELECT s.version, d.outcome, d.resubmit_until, d.resubmit_until < now() AS closed
         FROM portfolio_submissions s LEFT JOIN portfolio_decisions d ON d.submission_id = s.id
         WHERE s.portfolio_id = $1 ORDER BY s.version DESC LIMIT 1`,
        [p.id],
      );
      if (latest && !latest.outcome)
        throw new ConflictException(`Version ${latest.version} is under review; a new version can follow a decision to revise`);
      if (latest?.outcome === 'pass') throw new ConflictException(`Your ${credential} portfolio has passed`);
      if (latest?.outcome === 'fail')
        throw new ConflictException(`Version ${latest.version} did not pass; appeal the decision if you believe it is wrong`);
      if (latest?.outcome === 'revise' && latest.closed) {
        throw new ConflictException(`The resubmission window closed on ${latest.resubmit_until.toISOString().slice(0, 10)}`);
      }
      const evidence = new Map((await this.portfolios.evidence(p.id, tx)).map((e) => [e.criterion, e.narrative]));
      const missingContext = CONTEXT_FIELDS.filter((f) => !p.context[f]);
      const missingEvidence = this.criteriaOf(credential)
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
        evidence: this.criteriaOf(credential).map((c) => ({
          criterion: c.code,
          narrative: evidence.get(c.code),
          attachments: attachments.filter((a) => a.criterion === c.code).map(toAttachmentDto),
        })),
      };
      const submission = await this.portfolios.insertSubmission(tx, p, content);
      await this.outbox.enqueue(tx, JobName.AssignReviewers, { submissionId: submission.id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'portfolio.submitted',
        subjectType: 'portfolio_submission',
        subjectId: submission.id,
        data: { credential, version: submission.version },
      });
      const [row] = await tx.query(`SELECT id, version, status, submitted_at FROM portfolio_submissions WHERE id = $1`, [submission.id]);
      return { id: row.id, version: row.version, status: row.status, submittedAt: row.submitted_at.toISOString() };
    });
  }

  private async toDto(p: PortfolioRow): Promise<PortfolioDto> {
    const [evidence, attachments, submissions] = await Promise.all([
      this.portfolios.evidence(p.id),
      this.portfolios.attachments(p.id),
      this.portfolios.submissions(p.id),
    ]);
    const byCriterion = new Map(evidence.map((e) => [e.criterion, e]));
    return {
      id: p.id,
      credential: p.credential,
      context: p.context,
      evidence: this.criteriaOf(p.credential).map((c) => ({
        criterion: c.code,
        text: c.text,
        narrative: byCriterion.get(c.code)?.narrative ?? '',
        attachments: attachments.filter((a) => a.criterion === c.code).map(toAttachmentDto),
        updatedAt: byCriterion.get(c.code)?.updated_at.toISOString() ?? null,
      })),
      submissions: submissions.map((s) => ({ id: s.id, version: s.version, status: s.status, submittedAt: s.submitted_at.toISOString() })),
      updatedAt: p.updated_at.toISOString(),
    };
  }
}

function toAttachmentDto(a: AttachmentRow): AttachmentDto {
  return {
    id: a.id,
    criterion: a.criterion,
    fileName: a.file_name,
    mediaType: a.media_type,
    sizeBytes: a.size_bytes,
    sha256: a.sha256,
    uploadedAt: new Date(a.created_at).toISOString(),
  };
}
