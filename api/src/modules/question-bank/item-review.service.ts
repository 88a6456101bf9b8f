import { BadRequestException, ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { AuditService } from '../audit/audit.service';
import { CUE_KINDS, optionFeatures } from './cue-audit';
import {
  ChangeItemStageDto,
  ItemCommentDto,
  ItemForReviewDto,
  ItemReviewRecordDto,
  ReviewQueueEntryDto,
  SubmitItemReviewDto,
} from './dto/item-review.dto';
import { reviewsFileFrom } from './item-review-export';
import { type ItemReview, ItemReviewRepository } from './item-review.repository';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { isAuthor, REQUIRED_APPROVALS, ReviewsFile } from './reviews-file';
import type { BankItem } from './bank-files';

/** Responses a pretest item needs before it may count. */
export const MIN_PRETEST_RESPONSES = 30;

/**
 * The item review workflow: draft → reviewed by two experts who did not write the item (key
 * confirmed, cueing checked, criterion and difficulty tagged) → pretest (shown unscored) → active.
 * Item content stays in git; reviews, comments and stage changes live here and are exported back
 * to question-bank/reviews.yaml (`npm run bank:export-reviews`). Every step is audited.
 */
@Injectable()
export class ItemReviewService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reviews: ItemReviewRepository,
    private readonly programme: ProgrammeCatalogue,
    private readonly audit: AuditService,
  ) {}

  async queue(user: AuthUser): Promise<ReviewQueueEntryDto[]> {
    return (await this.reviews.queue()).map((row) => ({
      id: row.id,
      domain: row.domain,
      criterion: row.content.criterion,
      difficulty: row.content.difficulty,
      status: row.status,
      version: row.version,
      stem: row.content.stem,
      approvals: row.approvals,
      changesRequested: row.changesRequested,
      evidence: row.approvals >= REQUIRED_APPROVALS ? 'reviewed' : row.adopted ? 'adopted' : 'needs_review',
      reviewedByYou: row.reviewerIds.includes(user.id),
      youAreAuthor: isAuthor(row.content.author, user),
    }));
  }

  async item(user: AuthUser, itemId: string): Promise<ItemForReviewDto> {
    const row = await this.reviews.item(itemId);
    if (!row) throw new NotFoundException('No such item');
    const all = await this.reviews.reviews({ itemId });
    const current = all.filter((r) => r.itemVersionId === row.currentVersionId);
    const mine = current.find((r) => r.reviewerId === user.id) ?? null;
    // Reviewers judge independently: the others' verdicts show once one's own is in (admins see all).
    const seesOthers = Boolean(mine) || user.roles.includes('admin');
    const others = all.filter((r) => r.reviewerId !== user.id || r.itemVersionId !== row.currentVersionId);
    const features = optionFeatures({ ...row.content, domain: row.domain } as unknown as BankItem, this.programme.framework);
    const criteria = new Map(this.programme.framework.domains.flatMap((d) => d.criteria.map((c) => [c.code, c.text])));
    return {
      id: row.id,
      domain: row.domain,
      criterion: row.content.criterion,
      criterionText: criteria.get(row.content.criterion) ?? '',
      difficulty: row.content.difficulty,
      status: row.status,
      version: row.version,
      versionId: row.currentVersionId,
      author: row.content.author ?? null,
      stem: row.content.stem,
      options: row.content.options.map((o, i) => ({
        text: o.text,
        key: o.key,
        rationale: o.rationale,
        length: features.options[i].length,
        lengthRank: features.options[i].lengthRank,
        cues: CUE_KINDS.filter((k) => features.options[i].cues[k]),
        psfOverlap: features.options[i].psfOverlap,
      })),
      reference: row.content.reference ?? '',
      notes: row.content.notes,
      approvals: current.filter((r) => r.verdict === 'approve').length,
      youAreAuthor: isAuthor(row.content.author, user),
      yourReview: mine ? reviewDto(mine) : null,
      reviews: seesOthers ? others.map(reviewDto) : [],
      hiddenReviews: seesOthers ? 0 : others.length,
      comments: (await this.reviews.comments({ itemId })).map((c) => ({
        id: c.id,
        version: c.version,
        author: c.authorName,
        body: c.body,
        createdAt: c.createdAt.toISOString(),
      })),
      stages: (await this.reviews.stages({ itemId })).map((s) => ({
        version: s.version,
        from: s.fromStatus,
        to: s.toStatus,
        by: s.actorName,
        comment: s.comment,
        createdAt: s.createdAt.toISOString(),
      })),
      responses: await this.reviews.responsesTo(row.currentVersionId),
    };
  }

  async review(user: AuthUser, itemId: string, dto: SubmitItemReviewDto): Promise<ItemForReviewDto> {
    const comment = dto.comment?.trim() ?? '';
    if ((dto.verdict === 'changes_requested' || !dto.keyConfirmed || !dto.cueingOk) && comment.length < 10) {
      throw new BadRequestException('comment: say what has to change (at least 10 characters) when requesting changes or when a check fails');
    }
    await this.dataSource.transaction(async (tx) => {
      const row = await this.reviews.item(itemId, tx, 'lock');
      if (!row || row.status === 'retired') throw new NotFoundException('No such item under review');
      if (isAuthor(row.content.author, user)) throw new ForbiddenException('You wrote this item; two other experts must review it');
      if (!dto.criterion.startsWith(`${row.domain}.`)) throw new BadRequestException(`criterion must be one of ${row.domain}'s criteria`);
      if (dto.verdict === 'approve' && (!dto.keyConfirmed || !dto.cueingOk)) {
        throw new BadRequestException('an approval confirms the key and the cueing check; request changes instead');
      }
      if (dto.verdict === 'approve' && dto.criterion !== row.content.criterion) {
        throw new BadRequestException(`you tag it ${dto.criterion} but it is written for ${row.content.criterion}: request changes instead`);
      }
      try {
        await this.reviews.insertReview(tx, { itemId, versionId: row.currentVersionId, reviewerId: user.id, ...dto, comment });
      } catch (error) {
        if ((error as { code?: string }).code === '23505') throw new ConflictException('You have already reviewed this version of the item');
        throw error;
      }
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'bank.item_reviewed',
        subjectType: 'item',
        subjectId: itemId,
        data: { version: row.version, verdict: dto.verdict, keyConfirmed: dto.keyConfirmed, cueingOk: dto.cueingOk, criterion: dto.criterion, difficulty: dto.difficulty },
      });
    });
    return this.item(user, itemId);
  }

  async comment(user: AuthUser, itemId: string, dto: ItemCommentDto): Promise<ItemForReviewDto> {
    await this.dataSource.transaction(async (tx) => {
      const row = await this.reviews.item(itemId, tx);
      if (!row) throw new NotFoundException('No such item');
      const id = await this.reviews.insertComment(tx, { itemId, versionId: row.currentVersionId, authorId: user.id, body: dto.body.trim() });
      await this.audit.append(tx, { actorId: user.id, action: 'bank.item_commented', subjectType: 'item', subjectId: itemId, data: { commentId: id, version: row.version } });
    });
    return this.item(user, itemId);
  }

  /** An administrator moves an item along the workflow; the rules of each step are checked here. */
  async changeStage(admin: AuthUser, itemId: string, dto: ChangeItemStageDto): Promise<ItemForReviewDto> {
    const reason = dto.reason?.trim() ?? '';
    await this.dataSource.transaction(async (tx) => {
      const row = await this.reviews.item(itemId, tx, 'lock');
      if (!row) throw new NotFoundException('No such item');
      if (row.status === dto.to) throw new ConflictException(`The item is already ${dto.to}`);
      if (row.status === 'retired') throw new ConflictException('A retired item stays retired; write a new item instead');
      if (isAuthor(row.content.author, admin)) throw new ForbiddenException('You wrote this item; another administrator decides its stage');
      if (dto.to === 'retired') {
        if (reason.length < 10) throw new BadRequestException('reason: say why the item is retired (at least 10 characters)');
      } else {
        const current = (await this.reviews.reviews({ itemId }, tx)).filter((r) => r.itemVersionId === row.currentVersionId);
        const approvals = current.filter((r) => r.verdict === 'approve' && !isAuthor(row.content.author, { email: r.reviewerEmail, fullName: r.reviewerName }));
        if (approvals.length < REQUIRED_APPROVALS && !row.adopted) {
          throw new ConflictException(`The current version has ${approvals.length} approving review(s); it needs ${REQUIRED_APPROVALS} before it can be ${dto.to}`);
        }
        if (current.some((r) => r.verdict === 'changes_requested')) {
          throw new ConflictException('A reviewer asked for changes to this version: edit the item (a new version) and have it reviewed again');
        }
        if (dto.to === 'pretest' && row.status !== 'draft') throw new ConflictException('Only a draft item goes to pretest');
        if (dto.to === 'active' && row.status === 'pretest') {
          const responses = await this.reviews.responsesTo(row.currentVersionId);
          if (responses < MIN_PRETEST_RESPONSES) {
            throw new ConflictException(`The item has ${responses} pretest responses; it needs ${MIN_PRETEST_RESPONSES} before it counts`);
          }
        }
        if (dto.to === 'active' && row.status === 'draft' && reason.length < 10) {
          throw new BadRequestException('reason: activating without a pretest needs a reason (at least 10 characters)');
        }
      }
      await this.reviews.changeStage(tx, { itemId, versionId: row.currentVersionId, from: row.status, to: dto.to, actorId: admin.id, comment: reason });
      await this.audit.append(tx, {
        actorId: admin.id,
        action: 'bank.item_stage_changed',
        subjectType: 'item',
        subjectId: itemId,
        data: { version: row.version, from: row.status, to: dto.to, reason },
      });
    });
    return this.item(admin, itemId);
  }

  /** The database's review records as question-bank/reviews.yaml holds them (adoptions are kept from the file). */
  async exportReviews(existing: ReviewsFile | null): Promise<ReviewsFile> {
    const reviews = await this.reviews.reviews({});
    const comments = await this.reviews.comments({});
    const stages = await this.reviews.stages({});
    return reviewsFileFrom(existing, { reviews, comments, stages });
  }

  /** Item id → the status the platform's latest stage decision gave its current version. */
  async currentStatuses(): Promise<Map<string, string>> {
    const decisions = await this.reviews.currentStageDecisions(this.dataSource.manager);
    const rows = await this.reviews.itemStages();
    return new Map(rows.filter((r) => decisions.get(r.id)?.versionId === r.currentVersionId).map((r) => [r.id, r.status]));
  }
}

function reviewDto(r: ItemReview): ItemReviewRecordDto {
  return {
    id: r.id,
    version: r.version,
    reviewer: r.reviewerName,
    verdict: r.verdict,
    keyConfirmed: r.keyConfirmed,
    cueingOk: r.cueingOk,
    criterion: r.criterion,
    difficulty: r.difficulty,
    comment: r.comment,
    createdAt: r.createdAt.toISOString(),
  };
}
