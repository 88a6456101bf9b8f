import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { type Db, typed } from '../../../infrastructure/database/kysely';
import type { ItemContent } from '../../question-bank/item-content';
import { questionBankReader } from '../../question-bank/question-bank.reader';
import { usersReader } from '../../users/users.reader';
import { studyLifecycle, type StudyStatus } from './study-lifecycle';

export type { StudyStatus } from './study-lifecycle';

export interface Study {
  id: string;
  title: string;
  status: StudyStatus;
  formLength: number;
  createdBy: string;
  createdByName: string;
  createdAt: Date;
  round2OpenedAt: Date | null;
  closedAt: Date | null;
  result: unknown;
  items: number;
}

export interface StudyItem {
  itemVersionId: string;
  itemId: string;
  position: number;
  domain: string;
  content: ItemContent;
}

export interface Rating {
  round: number;
  raterId: string;
  itemVersionId: string;
  /** numeric, as PostgreSQL returns it. */
  probability: string;
}

export interface StudyRater {
  raterId: string;
  fullName: string;
  email: string;
}

export interface RaterCandidate {
  id: string;
  roles: string[];
}

/** The study columns, with the author's name and the number of items rated. */
const selectStudies = (db: Db) =>
  db.selectFrom('standardSettingStudies as s').select((eb) => [
    's.id',
    's.title',
    's.status',
    's.formLength',
    's.createdBy',
    's.createdAt',
    's.round2OpenedAt',
    's.closedAt',
    's.result',
    eb
      .selectFrom(usersReader.people(db).as('u'))
      .select('u.fullName')
      .whereRef('u.id', '=', 's.createdBy')
      .$asScalar()
      .$castTo<string>()
      .as('createdByName'),
    eb
      .selectFrom('standardSettingItems as i')
      .select(sql<number>`count(*)::int`.as('n'))
      .whereRef('i.studyId', '=', 's.id')
      .$asScalar()
      .$castTo<number>()
      .as('items'),
  ]);

type StudyRecord = Omit<Study, 'status' | 'result'> & { status: string; result: unknown };
const toStudy = (row: StudyRecord): Study => ({ ...row, status: studyLifecycle.parse(row.status) });

/** Modified-Angoff studies: the items rated, the raters invited and their ratings per round. */
@Injectable()
export class StandardSettingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  /** Opens a study on the active pool as it is now: the current version of every active item. */
  async insertStudy(tx: EntityManager, s: { title: string; formLength: number; createdBy: string }): Promise<string> {
    const db = this.db(tx);
    const row = await db
      .insertInto('standardSettingStudies')
      .values({ examCode: 'AIDA', title: s.title, formLength: s.formLength, createdBy: s.createdBy })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('standardSettingItems')
      .columns(['studyId', 'itemVersionId', 'itemId', 'position'])
      .expression((eb) =>
        eb
          .selectFrom(questionBankReader.items(db).as('i'))
          .select((e) => [
            e.val(row.id).as('studyId'),
            e.ref('i.currentVersionId').$castTo<string>().as('itemVersionId'),
            'i.id',
            sql<number>`row_number() OVER (ORDER BY i.domain, i.id)`.as('position'),
          ])
          .where('i.status', '=', 'active'),
      )
      .execute();
    return row.id;
  }

  async addRaters(tx: EntityManager, studyId: string, raterIds: string[], invitedBy: string): Promise<void> {
    if (!raterIds.length) return;
    await this.db(tx)
      .insertInto('standardSettingRaters')
      .values(raterIds.map((raterId) => ({ studyId, raterId, invitedBy })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** `forUpdate` locks the study row for the rest of the caller's transaction. */
  async find(studyId: string, tx?: EntityManager, forUpdate = false): Promise<Study | null> {
    const query = selectStudies(this.db(tx)).where('s.id', '=', studyId);
    const row = await (forUpdate ? query.forUpdate() : query).executeTakeFirst();
    return row ? toStudy(row) : null;
  }

  async list(): Promise<Study[]> {
    const rows = await selectStudies(this.db()).orderBy('s.createdAt', 'desc').execute();
    return rows.map(toStudy);
  }

  async listForRater(raterId: string): Promise<Study[]> {
    const rows = await selectStudies(this.db())
      .innerJoin('standardSettingRaters as r', (join) => join.onRef('r.studyId', '=', 's.id').on('r.raterId', '=', raterId))
      .orderBy('s.createdAt', 'desc')
      .execute();
    return rows.map(toStudy);
  }

  async raters(studyId: string, tx?: EntityManager): Promise<StudyRater[]> {
    const db = this.db(tx);
    return db
      .selectFrom('standardSettingRaters as r')
      .innerJoin(usersReader.people(db).as('u'), 'u.id', 'r.raterId')
      .select(['r.raterId', 'u.fullName', 'u.email'])
      .where('r.studyId', '=', studyId)
      .orderBy('u.fullName')
      .execute();
  }

  async isRater(studyId: string, userId: string): Promise<boolean> {
    const row = await this.db()
      .selectFrom('standardSettingRaters')
      .select(sql<number>`1`.as('one'))
      .where('studyId', '=', studyId)
      .where('raterId', '=', userId)
      .executeTakeFirst();
    return Boolean(row);
  }

  async items(studyId: string): Promise<StudyItem[]> {
    const db = this.db();
    return db
      .selectFrom('standardSettingItems as si')
      .innerJoin(questionBankReader.itemVersions(db).as('v'), 'v.id', 'si.itemVersionId')
      .innerJoin(questionBankReader.items(db).as('i'), 'i.id', 'si.itemId')
      .select((eb) => [
        'si.itemVersionId',
        'si.itemId',
        'si.position',
        'i.domain',
        eb.ref('v.content').$castTo<ItemContent>().as('content'),
      ])
      .where('si.studyId', '=', studyId)
      .orderBy('si.position')
      .execute();
  }

  async ratings(studyId: string, tx?: EntityManager): Promise<Rating[]> {
    return this.db(tx)
      .selectFrom('standardSettingRatings')
      .select(['round', 'raterId', 'itemVersionId', 'probability'])
      .where('studyId', '=', studyId)
      .execute();
  }

  /** Saves a rater's ratings for a round; items not in the study are refused by the foreign key. */
  async saveRatings(
    tx: EntityManager,
    studyId: string,
    round: number,
    raterId: string,
    ratings: Array<{ itemVersionId: string; probability: number }>,
  ): Promise<void> {
    if (!ratings.length) return;
    await this.db(tx)
      .insertInto('standardSettingRatings')
      .values(ratings.map((r) => ({ studyId, round, raterId, itemVersionId: r.itemVersionId, probability: r.probability })))
      .onConflict((oc) =>
        oc
          .columns(['studyId', 'round', 'raterId', 'itemVersionId'])
          .doUpdateSet((eb) => ({ probability: eb.ref('excluded.probability'), updatedAt: sql<Date>`now()` })),
      )
      .execute();
  }

  async studyItemVersions(studyId: string, versionIds: string[]): Promise<string[]> {
    const rows = await this.db()
      .selectFrom('standardSettingItems')
      .select('itemVersionId')
      .where('studyId', '=', studyId)
      .where((eb) => eb('itemVersionId', '=', eb.fn.any(eb.val(versionIds))))
      .execute();
    return rows.map((r) => r.itemVersionId);
  }

  async setStatus(
    tx: EntityManager,
    studyId: string,
    status: StudyStatus,
    extra: { round2?: boolean; closed?: boolean; result?: unknown } = {},
  ): Promise<void> {
    await this.db(tx)
      .updateTable('standardSettingStudies')
      .set({
        status,
        ...(extra.round2 ? { round2OpenedAt: sql<Date>`now()` } : {}),
        ...(extra.closed ? { closedAt: sql<Date>`now()` } : {}),
        ...(extra.result === undefined ? {} : { result: JSON.stringify(extra.result) }),
      })
      .where('id', '=', studyId)
      .execute();
  }

  /** Reviewers who may rate: the reviewer role, active, not a candidate themselves. */
  async eligibleRaters(ids: string[]): Promise<RaterCandidate[]> {
    const db = this.db();
    return db
      .selectFrom(usersReader.people(db).as('u'))
      .select(['u.id', 'u.roles'])
      .where((eb) => eb('u.id', '=', eb.fn.any(eb.val(ids))))
      .execute();
  }
}
