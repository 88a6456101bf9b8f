import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource, EntityManager } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { questionBankReader } from '../question-bank/question-bank.reader';
import { attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import type { DrawnQuestion } from './form-draw';

/** A question of an attempt with its item version's stem and options (the key included: server side only). */
export interface AttemptQuestion {
  id: string;
  position: number;
  domain: string;
  scored: boolean;
  options: Array<{ id: string; source: string }>;
  stem: string;
  versionOptions: Array<{ id: string; text: string; key: boolean }>;
}

export interface Answer {
  questionId: string;
  optionId: string | null;
  flagged: boolean;
  savedAt: Date;
}

/** What a save needs to decide: null options when the question is not part of the attempt. */
export interface SaveState {
  status: AttemptState;
  open: boolean;
  options: Array<{ id: string }> | null;
}

const ANSWER_COLUMNS = ['questionId', 'optionId', 'flagged', 'savedAt'] as const;

/** The questions of an attempt (its drawn form) and the candidate's answers to them. */
@Injectable()
export class AttemptQuestionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private db(tx?: EntityManager) {
    return typed(tx ?? this.dataSource);
  }

  async insertQuestions(tx: EntityManager, attemptId: string, form: DrawnQuestion[]): Promise<void> {
    const recordset = JSON.stringify(
      form.map((q) => ({
        position: q.position,
        item_id: q.itemId,
        item_version_id: q.versionId,
        domain: q.domain,
        options: q.options,
        scored: q.scored,
      })),
    );
    await this.db(tx)
      .insertInto('attemptQuestions')
      .columns(['attemptId', 'position', 'itemId', 'itemVersionId', 'domain', 'options', 'scored'])
      .expression(
        sql`SELECT ${attemptId}::uuid, q.position, q.item_id, q.item_version_id, q.domain, q.options, q.scored
            FROM jsonb_to_recordset(${recordset}::jsonb)
              AS q(position int, item_id text, item_version_id uuid, domain text, options jsonb, scored boolean)`,
      )
      .execute();
  }

  async questionsOf(attemptId: string, tx?: EntityManager): Promise<AttemptQuestion[]> {
    const db = this.db(tx);
    return db
      .selectFrom('attemptQuestions as q')
      .innerJoin(questionBankReader.itemVersions(db).as('v'), 'v.id', 'q.itemVersionId')
      .select([
        'q.id',
        'q.position',
        'q.domain',
        'q.scored',
        sql<AttemptQuestion['options']>`q.options`.as('options'),
        sql<string>`v.content->>'stem'`.as('stem'),
        sql<AttemptQuestion['versionOptions']>`v.content->'options'`.as('versionOptions'),
      ])
      .where('q.attemptId', '=', attemptId)
      .orderBy('q.position')
      .execute();
  }

  async answersOf(attemptId: string, tx?: EntityManager): Promise<Answer[]> {
    return this.db(tx).selectFrom('attemptAnswers').select(ANSWER_COLUMNS).where('attemptId', '=', attemptId).execute();
  }

  /** Locks the attempt against a concurrent submit and returns what a save needs to decide. */
  async lockForSave(tx: EntityManager, attemptId: string, userId: string, questionId: string): Promise<SaveState | null> {
    const row = await this.db(tx)
      .selectFrom('attempts as a')
      .leftJoin('attemptQuestions as q', (join) => join.onRef('q.attemptId', '=', 'a.id').on('q.id', '=', questionId))
      .select(['a.status', sql<boolean>`a.deadline > now()`.as('open'), sql<SaveState['options']>`q.options`.as('options')])
      .where('a.id', '=', attemptId)
      .where('a.userId', '=', userId)
      .forShare('a')
      .executeTakeFirst();
    return row ? { ...row, status: attemptLifecycle.parse(row.status) } : null;
  }

  /** Applies the save unless a newer one (higher clientSeq) is stored; returns the stored answer either way. */
  async upsertAnswer(
    tx: EntityManager,
    a: { attemptId: string; questionId: string; optionId: string | null; flagged?: boolean; clientSeq?: number },
  ): Promise<Answer> {
    const flagged = a.flagged ?? null;
    const clientSeq = a.clientSeq ?? null;
    const applied = await this.db(tx)
      .insertInto('attemptAnswers')
      .values({
        questionId: a.questionId,
        attemptId: a.attemptId,
        optionId: a.optionId,
        flagged: sql<boolean>`coalesce(${flagged}::boolean, false)`,
        clientSeq: sql<string | null>`${clientSeq}::bigint`,
      })
      .onConflict((oc) =>
        oc
          .column('questionId')
          .doUpdateSet((eb) => ({
            optionId: eb.ref('excluded.optionId'),
            flagged: sql<boolean>`coalesce(${flagged}::boolean, attempt_answers.flagged)`,
            clientSeq: eb.fn.coalesce(eb.ref('excluded.clientSeq'), eb.ref('attemptAnswers.clientSeq')),
            savedAt: sql<Date>`now()`,
          }))
          .where((eb) =>
            eb.or([
              eb('attemptAnswers.clientSeq', 'is', null),
              sql<boolean>`${clientSeq}::bigint IS NULL`,
              sql<boolean>`${clientSeq}::bigint >= attempt_answers.client_seq`,
            ]),
          ),
      )
      .returning(ANSWER_COLUMNS)
      .executeTakeFirst();
    if (applied) return applied;
    return this.db(tx).selectFrom('attemptAnswers').select(ANSWER_COLUMNS).where('questionId', '=', a.questionId).executeTakeFirstOrThrow();
  }
}
