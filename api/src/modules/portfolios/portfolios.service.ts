import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import type { AuthUser } from '../../common/auth/auth-user';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { AttachmentDto, DeploymentContextDto, PortfolioCredential, PortfolioDto } from './dto/portfolio.dto';
import { detectEvidenceType } from './file-type';
import { type Attachment, type Portfolio, PortfoliosRepository } from './portfolios.repository';
import { SubmissionsRepository } from './submissions.repository';

export const CONTEXT_FIELDS: Array<keyof DeploymentContextDto> = ['system', 'organisation', 'modelsUsed', 'usersAffected', 'riskLevel'];

@Injectable()
export class PortfoliosService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
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

  private async own(user: AuthUser, credential: PortfolioCredential): Promise<Portfolio> {
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
    await this.assertRoomFor(p.id, file.size);
    // eslint-disable-next-line no-control-regex -- control characters are exactly what a stored file name must not carry
    const fileName = file.originalname.replace(/[\\/\u0000-\u001f]/g, '_').slice(0, 200) || 'evidence';
    const detected = detectEvidenceType(file.buffer, fileName);
    if ('refused' in detected) throw new BadRequestException(`"${fileName}" ${detected.refused}`);
    const id = randomUUID();
    const key = `portfolios/${p.id}/${id}`;
    await this.storage.put(key, file.buffer);
    const row = await this.portfolios.insertAttachment({
      id,
      portfolioId: p.id,
      criterion,
      fileName,
      mediaType: detected.type,
      sizeBytes: file.size,
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      storageKey: key,
    });
    return toAttachmentDto(row);
  }

  /** A portfolio lists at most MAX_ATTACHMENTS_PER_PORTFOLIO attachments of MAX_PORTFOLIO_MB together (removed ones do not count). */
  private async assertRoomFor(portfolioId: string, size: number): Promise<void> {
    const { maxAttachments, maxBytes } = this.config.portfolioLimits;
    const listed = await this.portfolios.attachments(portfolioId);
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
    const [evidence, attachments, submissions] = await Promise.all([
      this.portfolios.evidence(p.id),
      this.portfolios.attachments(p.id),
      this.submissions.list(p.id),
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
        updatedAt: byCriterion.get(c.code)?.updatedAt.toISOString() ?? null,
      })),
      submissions: submissions.map((s) => ({ id: s.id, version: s.version, status: s.status, submittedAt: s.submittedAt.toISOString() })),
      updatedAt: p.updatedAt.toISOString(),
    };
  }
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
