import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Selectable, sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import type { Items } from '../../infrastructure/database/schema.generated';
import { examsReader } from '../exams/exams.reader';
import { usersReader } from '../users/users.reader';
import { REVIEW_VERDICTS } from './dto/item-review.dto';
import type { ItemContent } from './item-content';

export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

/** One expert's review of one version of an item. */
export interface ItemReview {
  id: string;
  itemId: string;
  itemVersionId: string;
  contentHash: string;
  version: number;
  reviewerId: string;
  reviewerName: string;
  reviewerEmail: string;
  verdict: ReviewVerdict;
  keyConfirmed: boolean;
  cueingOk: boolean;
  criterion: string;
  difficulty: string;
  comment: string;
  createdAt: Date;
}

/** A comment on one version of an item. */
export interface ItemComment {
  id: string;
  itemId: string;
  itemVersionId: string;
  contentHash: string;
  version: number;
  authorName: string;
  authorEmail: string;
  body: string;
  createdAt: Date;
}

/** A move of an item from one workflow stage to another, made on one of its versions. */
export interface ItemStageChange {
  id: string;
  itemId: string;
  itemVersionId: string;
  contentHash: string;
  version: number;
  fromStatus: string;
  toStatus: string;
  actorName: string;
  actorEmail: string;
  comment: string;
  createdAt: Date;
}

/** An item with its current version, as reviewers see it. */
export interface ReviewedItem {
  id: string;
  domain: string;
  criterion: string;
  status: string;
  adopted: boolean;
  currentVersionId: string;
  version: number;
  contentHash: string;
  content: ItemContent;
}

/** An item in the review queue: its current version and the verdicts that version has had. */
export type QueuedItem = ReviewedItem & { approvals: number; changesRequested: number; reviewerIds: string[] };

/** An item's stage and the version it is at. */
export type ItemStage = Pick<Selectable<Items>, 'id' | 'status' | 'currentVersionId'>;

/** The latest stage decision on an item, and the version it was made on. */
export interface StageDecision {
  versionId: string;
  to: string;
}

export interface NewItemReview {
  itemId: string;
  versionId: string;
  reviewerId: string;
  verdict: string;
  keyConfirmed: boolean;
  cueingOk: boolean;
  criterion: string;
  difficulty: string;
  comment: string;
}

/** Narrows a verdict read from the database; an unknown value is a data fault, not a request error. */
function parseVerdict(value: string): ReviewVerdict {
  if (!(REVIEW_VERDICTS as readonly string[]).includes(value)) throw new Error(`unknown item review verdict "${value}"`);
  return value as ReviewVerdict;
}

/** The item review workflow's records: reviews and comments on item versions, and their stage changes. */
@Injectable()
export class ItemReviewRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }


  /** The item with its current version; `lock` locks the item row for the rest of the caller's transaction. */
  async item(itemId: string, tx?: EntityManager, lock = ''): Promise<ReviewedItem | null> {
    const query = this.reviewedItems(tx).where('i.id', '=', itemId);
    return (await (lock ? query.forUpdate('i') : query).executeTakeFirst()) ?? null;
  }

  /** Every item that is not retired, with its current version and the approvals that version has. */
  async queue(): Promise<QueuedItem[]> {
    return this.reviewedItems()
      .leftJoin('itemReviews as r', 'r.itemVersionId', 'i.currentVersionId')
      .select([
        sql<number>`count(r.id) FILTER (WHERE r.verdict = 'approve')::int`.as('approvals'),
        sql<number>`count(r.id) FILTER (WHERE r.verdict = 'changes_requested')::int`.as('changesRequested'),
        sql<string[]>`coalesce(array_agg(r.reviewer_id) FILTER (WHERE r.id IS NOT NULL), '{}')`.as('reviewerIds'),
      ])
      .where('i.status', '<>', 'retired')
      .groupBy(['i.id', 'v.id'])
      .orderBy('i.id')
      .execute();
  }

  async reviews(filter: { itemId?: string }, tx?: EntityManager): Promise<ItemReview[]> {
    const rows = await this.db(tx)
      .selectFrom('itemReviews as r')
      .innerJoin('itemVersions as v', 'v.id', 'r.itemVersionId')
      .innerJoin(usersReader.people(this.db(tx)).as('u'), 'u.id', 'r.reviewerId')
      .select([
        'r.id',
        'r.itemId',
        'r.itemVersionId',
        'v.contentHash',
        'v.version',
        'r.reviewerId',
        'u.fullName as reviewerName',
        'u.email as reviewerEmail',
        'r.verdict',
        'r.keyConfirmed',
        'r.cueingOk',
        'r.criterion',
        'r.difficulty',
        'r.comment',
        'r.createdAt',
      ])
      .$if(filter.itemId != null, (q) => q.where('r.itemId', '=', filter.itemId!))
      .orderBy('r.itemId')
      .orderBy('v.version')
      .orderBy('r.createdAt')
      .execute();
    return rows.map((r) => ({ ...r, verdict: parseVerdict(r.verdict) }));
  }

  async comments(filter: { itemId?: string }): Promise<ItemComment[]> {
    return this.db()
      .selectFrom('itemComments as c')
      .innerJoin('itemVersions as v', 'v.id', 'c.itemVersionId')
      .innerJoin(usersReader.people(this.db()).as('u'), 'u.id', 'c.authorId')
      .select([
        'c.id',
        'c.itemId',
        'c.itemVersionId',
        'v.contentHash',
        'v.version',
        'u.fullName as authorName',
        'u.email as authorEmail',
        'c.body',
        'c.createdAt',
      ])
      .$if(filter.itemId != null, (q) => q.where('c.itemId', '=', filter.itemId!))
      .orderBy('c.itemId')
      .orderBy('c.createdAt')
      .execute();
  }

  async stages(filter: { itemId?: string }, tx?: EntityManager): Promise<ItemStageChange[]> {
    return this.db(tx)
      .selectFrom('itemStageChanges as s')
      .innerJoin('itemVersions as v', 'v.id', 's.itemVersionId')
      .innerJoin(usersReader.people(this.db(tx)).as('u'), 'u.id', 's.actorId')
      .select([
        's.id',
        's.itemId',
        's.itemVersionId',
        'v.contentHash',
        'v.version',
        's.fromStatus',
        's.toStatus',
        'u.fullName as actorName',
        'u.email as actorEmail',
        's.comment',
        's.createdAt',
      ])
      .$if(filter.itemId != null, (q) => q.where('s.itemId', '=', filter.itemId!))
      .orderBy('s.itemId')
      .orderBy('s.createdAt')
      .execute();
  }

  /** Returns the new review's id. */
  async insertReview(tx: EntityManager, r: NewItemReview): Promise<string> {
    const row = await this.db(tx)
      .insertInto('itemReviews')
      .values({
        itemId: r.itemId,
        itemVersionId: r.versionId,
        reviewerId: r.reviewerId,
        verdict: r.verdict,
        keyConfirmed: r.keyConfirmed,
        cueingOk: r.cueingOk,
        criterion: r.criterion,
        difficulty: r.difficulty,
        comment: r.comment,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Returns the new comment's id. */
  async insertComment(tx: EntityManager, c: { itemId: string; versionId: string; authorId: string; body: string }): Promise<string> {
    const row = await this.db(tx)
      .insertInto('itemComments')
      .values({ itemId: c.itemId, itemVersionId: c.versionId, authorId: c.authorId, body: c.body })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Records the stage change and moves the item; a retired item is retired from now. */
  async changeStage(tx: EntityManager, s: { itemId: string; versionId: string; from: string; to: string; actorId: string; comment: string }): Promise<void> {
    await this.db(tx)
      .insertInto('itemStageChanges')
      .values({ itemId: s.itemId, itemVersionId: s.versionId, fromStatus: s.from, toStatus: s.to, actorId: s.actorId, comment: s.comment })
      .execute();
    await this.db(tx)
      .updateTable('items')
      .set({ status: s.to, updatedAt: sql<Date>`now()`, ...(s.to === 'retired' ? { retiredAt: sql<Date>`now()` } : {}) })
      .where('id', '=', s.itemId)
      .execute();
  }

  /** Responses an item version has gathered in finished attempts (its pretest evidence). */
  async responsesTo(versionId: string): Promise<number> {
    const row = await this.db()
      .selectFrom(examsReader.finishedResponses(this.db()).as('q'))
      .select((eb) => eb.cast<number>(eb.fn.countAll(), 'integer').as('n'))
      .where('q.itemVersionId', '=', versionId)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  /** The latest stage change of each item whose current version it concerns (the sync keeps these). */
  async currentStageDecisions(tx: EntityManager): Promise<Map<string, StageDecision>> {
    const rows = await this.db(tx)
      .selectFrom('itemStageChanges')
      .distinctOn('itemId')
      .select(['itemId', 'itemVersionId', 'toStatus'])
      .orderBy('itemId')
      .orderBy('createdAt', 'desc')
      .execute();
    return new Map(rows.map((r) => [r.itemId, { versionId: r.itemVersionId, to: r.toStatus }]));
  }

  /** Every item's status and current version. */
  async itemStages(tx?: EntityManager): Promise<ItemStage[]> {
    return this.db(tx).selectFrom('items').select(['id', 'status', 'currentVersionId']).execute();
  }

  private reviewedItems(tx?: EntityManager) {
    return this.db(tx)
      .selectFrom('items as i')
      .innerJoin('itemVersions as v', 'v.id', 'i.currentVersionId')
      .select((eb) => [
        'i.id',
        'i.domain',
        'i.criterion',
        'i.status',
        'i.adopted',
        'v.version',
        'v.contentHash',
        // The inner join makes it non-null; the jsonb holds what contentOf() froze.
        eb.ref('i.currentVersionId').$castTo<string>().as('currentVersionId'),
        eb.ref('v.content').$castTo<ItemContent>().as('content'),
      ]);
  }
}
