import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import type { IncomingFile, StreamedUpload } from '../../common/http/streamed-upload';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileStorage, SizeLimitExceededError } from '../../infrastructure/storage/file-storage';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import {
  AttachmentDto,
  DeploymentContextDto,
  PORTFOLIO_CREDENTIALS,
  PortfolioCredential,
  PortfolioDto,
  PortfolioOverviewDto,
} from './dto/portfolio.dto';
import { ALLOWED_EXTENSIONS, EvidenceTypeCheck, RefusedEvidenceError } from './file-type';
import { type Attachment, type Portfolio, PortfoliosRepository } from './portfolios.repository';
import { type LatestSubmission, SubmissionsRepository } from './submissions.repository';

export const CONTEXT_FIELDS: Array<keyof DeploymentContextDto> = ['system', 'organisation', 'modelsUsed', 'usersAffected', 'riskLevel'];

@Injectable()
export class PortfoliosService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly portfolios: PortfoliosRepository,
    private readonly submissions: SubmissionsRepository,
    private readonly storage: FileStorage,
    private readonly programme: ProgrammeCatalogue,
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

  /** Both portfolios as the dashboard shows them: open or not (and after what), how far written, the newest submission. */
  async overview(user: AuthUser): Promise<PortfolioOverviewDto[]> {
    const held = await this.portfolios.passedCredentials(user.id);
    return Promise.all(
      PORTFOLIO_CREDENTIALS.map(async (credential) => {
        const p = await this.portfolios.find(user.id, credential);
        const [evidence, submissions] = p ? await Promise.all([this.portfolios.evidence(p.id), this.submissions.list(p.id)]) : [[], []];
        const latest = submissions.reduce<(typeof submissions)[number] | null>((a, s) => (!a || s.version > a.version ? s : a), null);
        return {
          credential,
          opensAfter: this.programme.credential(credential).requires.filter((c) => !held.includes(c)),
          started: Boolean(p),
          criteria: this.criteriaOf(credential).length,
          written: evidence.filter((e) => e.narrative.trim() !== '').length,
          latestSubmission: latest
            ? { id: latest.id, version: latest.version, status: latest.status, submittedAt: latest.submittedAt.toISOString() }
            : null,
          updatedAt: p?.updatedAt.toISOString() ?? null,
        };
      }),
    );
  }

  private async own(user: AuthUser, credential: PortfolioCredential): Promise<Portfolio> {
    const p = await this.portfolios.find(user.id, credential);
    if (!p) throw new NotFoundException(`You have no ${credential} portfolio yet`);
    return p;
  }

  /** The caller's draft, refused (409, nothing written) while it cannot change: see lockedReason. */
  private async ownEditable(user: AuthUser, credential: PortfolioCredential): Promise<Portfolio> {
    const p = await this.own(user, credential);
    const reason = lockedReason(await this.submissions.latest(undefined, p.id));
    if (reason) throw new ConflictException(reason);
    return p;
  }

  private checkCriterion(credential: PortfolioCredential, criterion: string): void {
    if (!this.criteriaOf(credential).some((c) => c.code === criterion)) {
      throw new NotFoundException(`${criterion} is not a criterion of the ${credential} portfolio`);
    }
  }

  async saveContext(user: AuthUser, credential: PortfolioCredential, dto: DeploymentContextDto): Promise<PortfolioDto> {
    const p = await this.ownEditable(user, credential);
    const patch = Object.fromEntries(CONTEXT_FIELDS.filter((f) => dto[f] !== undefined).map((f) => [f, String(dto[f]).trim()]));
    await this.portfolios.mergeContext(p.id, patch);
    return this.toDto((await this.portfolios.find(user.id, credential))!);
  }

  async saveNarrative(user: AuthUser, credential: PortfolioCredential, criterion: string, narrative: string): Promise<PortfolioDto> {
    this.checkCriterion(credential, criterion);
    const p = await this.ownEditable(user, credential);
    await this.portfolios.saveNarrative(p.id, criterion, narrative);
    return this.toDto((await this.portfolios.find(user.id, credential))!);
  }

  /**
   * Everything that does not need the file is checked before its first byte is read: the criterion, the
   * caller's draft, and the portfolio's room against the size the request declares. The file then streams to
   * storage, typed from its first bytes and counted as it goes, so a refused, oversized or interrupted upload
   * stops there; only a whole, accepted file gets its row, and a refusal leaves no file behind.
   */
  async addAttachment(user: AuthUser, credential: PortfolioCredential, criterion: string, upload: StreamedUpload): Promise<AttachmentDto> {
    this.checkCriterion(credential, criterion);
    const p = await this.ownEditable(user, credential);
    if (upload.leastFileBytes > this.config.maxAttachmentBytes) throw this.attachmentTooLarge();
    await this.assertRoomFor(p.id, upload.leastFileBytes);
    const id = randomUUID();
    const key = `portfolios/${p.id}/${id}`;
    try {
      const stored = await upload.receive('file', (file) => this.storeEvidence(key, file));
      if (!stored) throw new BadRequestException('Attach a file in the "file" field');
      const row = await this.dataSource.transaction(async (tx) => {
        // The portfolio row is the lock: two uploads finishing at once cannot both take the last of its room.
        await this.portfolios.find(user.id, credential, tx, true);
        await this.assertRoomFor(p.id, stored.sizeBytes, tx);
        return this.portfolios.insertAttachment({ id, portfolioId: p.id, criterion, ...stored, storageKey: key }, tx);
      });
      return toAttachmentDto(row);
    } catch (err) {
      await this.storage.remove(key);
      throw err;
    }
  }

  /** Streams one file to storage through the type check, failing (with nothing stored) as soon as it is refused or too large. */
  private async storeEvidence(
    key: string,
    file: IncomingFile,
  ): Promise<Pick<Attachment, 'fileName' | 'mediaType' | 'sizeBytes' | 'sha256'>> {
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a stored file name must not carry
    const fileName = file.fileName.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'evidence';
    const check = new EvidenceTypeCheck(fileName);
    try {
      const { sizeBytes, sha256 } = await this.storage.putStream(key, check.pass(file.stream), {
        maxBytes: this.config.maxAttachmentBytes,
      });
      return { fileName, mediaType: check.type, sizeBytes, sha256 };
    } catch (err) {
      if (err instanceof SizeLimitExceededError) throw this.attachmentTooLarge();
      if (err instanceof RefusedEvidenceError) throw new BadRequestException(`"${fileName}" ${err.message}`);
      throw err;
    }
  }

  private attachmentTooLarge(): PayloadTooLargeException {
    return new PayloadTooLargeException(`Attachments are limited to ${Math.round(this.config.maxAttachmentBytes / 1_048_576)} MB`);
  }

  /** A portfolio lists at most MAX_ATTACHMENTS_PER_PORTFOLIO attachments of MAX_PORTFOLIO_MB together (removed ones do not count). */
  private async assertRoomFor(portfolioId: string, size: number, tx?: EntityManager): Promise<void> {
    const { maxAttachments, maxBytes } = this.config.portfolioLimits;
    const listed = await this.portfolios.attachments(portfolioId, tx);
    if (listed.length >= maxAttachments) {
      throw new BadRequestException(`A portfolio can hold at most ${maxAttachments} attachments; remove one before adding another`);
    }
    const used = listed.reduce((sum, a) => sum + Number(a.sizeBytes), 0);
    if (used + size > maxBytes) {
      throw new PayloadTooLargeException(
        `The attachments of a portfolio are limited to ${Math.round(maxBytes / 1_048_576)} MB together; remove some before adding this file`,
      );
    }
  }

  async removeAttachment(user: AuthUser, attachmentId: string): Promise<void> {
    const a = await this.portfolios.attachmentWithOwner(attachmentId);
    if (!a || a.userId !== user.id) throw new NotFoundException('No such attachment');
    const reason = lockedReason(await this.submissions.latest(undefined, a.portfolioId));
    if (reason) throw new ConflictException(reason);
    await this.portfolios.removeAttachment(attachmentId);
  }

  /**
   * Per-object authorisation: the owner, an admin, or a reviewer assigned to a submission that lists it
   * (or an assessor on its panel). The reviewer role is checked as it is now, so removing it ends the access at once.
   */
  async download(user: AuthUser, attachmentId: string): Promise<{ data: Buffer; row: Attachment }> {
    const a = await this.portfolios.attachmentWithOwner(attachmentId);
    const allowed =
      a &&
      (a.userId === user.id ||
        user.roles.includes('admin') ||
        (user.roles.includes('reviewer') && (await this.portfolios.assignedReviewerMayRead(user.id, attachmentId))));
    if (!a || !allowed) throw new NotFoundException('No such attachment');
    const data = await this.storage.get(a.storageKey);
    if (!data) throw new NotFoundException('No such attachment');
    return { data, row: a };
  }

  private async toDto(p: Portfolio): Promise<PortfolioDto> {
    const [evidence, attachments, submissions, latest] = await Promise.all([
      this.portfolios.evidence(p.id),
      this.portfolios.attachments(p.id),
      this.submissions.list(p.id),
      this.submissions.latest(undefined, p.id),
    ]);
    const locked = lockedReason(latest);
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
        updatedAt: byCriterion.get(c.code)?.updatedAt.toISOString() ?? null,
      })),
      submissions: submissions.map((s) => ({ id: s.id, version: s.version, status: s.status, submittedAt: s.submittedAt.toISOString() })),
      updatedAt: p.updatedAt.toISOString(),
      editable: !locked,
      lockedReason: locked,
      limits: {
        maxAttachmentBytes: this.config.maxAttachmentBytes,
        maxAttachments: this.config.portfolioLimits.maxAttachments,
        maxPortfolioBytes: this.config.portfolioLimits.maxBytes,
        fileTypes: Object.values(ALLOWED_EXTENSIONS).flat(),
      },
    };
  }
}

/**
 * Why the draft cannot change now, or null: a version under review is what the reviewers read, so the draft waits
 * for their decision; after a pass or a fail there is no next version, and after a revise only until its window closes.
 */
export function lockedReason(latest: LatestSubmission | null): string | null {
  if (!latest) return null;
  if (!latest.outcome)
    return `Version ${latest.version} is under review: the portfolio opens for changes again if the reviewers ask for a revision`;
  if (latest.outcome === 'pass') return 'Your portfolio has passed: it is kept as submitted';
  if (latest.outcome === 'fail')
    return `Version ${latest.version} did not pass: the portfolio is kept as submitted while an appeal is possible`;
  if (latest.closed) return 'The resubmission window has closed';
  return null;
}

export function toAttachmentDto(a: Attachment): AttachmentDto {
  return {
    id: a.id,
    criterion: a.criterion,
    fileName: a.fileName,
    mediaType: a.mediaType,
    sizeBytes: a.sizeBytes,
    sha256: a.sha256,
    uploadedAt: new Date(a.createdAt).toISOString(),
  };
}
