import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { typed } from '../../infrastructure/database/kysely';
import { queueReader } from '../../infrastructure/queue/queue.reader';

/** The failed jobs the page lists: enough to act on, bounded whatever happened. */
const FAILED_JOBS_SHOWN = 100;

export interface OutboxCounts {
  unpublished: number;
  oldestUnpublishedAt: Date | null;
  open: number;
  failed: number;
}

/**
 * Reads of the outbox for the admin jobs page, through the queue's reader; the operations module
 * writes no table. Each count's condition is the one of a partial index on the outbox (unpublished,
 * open, failed), so the page stays cheap however many completed rows the outbox keeps.
 */
@Injectable()
export class OperationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async outboxCounts(): Promise<OutboxCounts> {
    const db = typed(this.dataSource);
    const outbox = () => db.selectFrom(queueReader.outbox(db).as('o'));
    const [unpublished, open, failed] = await Promise.all([
      outbox()
        .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.min('o.createdAt').as('oldest')])
        .where('o.publishedAt', 'is', null)
        .executeTakeFirstOrThrow(),
      outbox()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('o.publishedAt', 'is not', null)
        .where('o.completedAt', 'is', null)
        .where('o.failedAt', 'is', null)
        .executeTakeFirstOrThrow(),
      outbox()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('o.failedAt', 'is not', null)
        .where('o.completedAt', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return {
      unpublished: Number(unpublished.n),
      oldestUnpublishedAt: unpublished.oldest,
      open: Number(open.n),
      failed: Number(failed.n),
    };
  }

  /** Jobs that exhausted their attempts and have not completed since: newest failure first. */
  failedJobs() {
    const db = typed(this.dataSource);
    return db
      .selectFrom(queueReader.outbox(db).as('o'))
      .select(['o.id', 'o.jobName', 'o.queue', 'o.payload', 'o.runAt', 'o.failedAt', 'o.failures', 'o.jobError'])
      .where('o.failedAt', 'is not', null)
      .where('o.completedAt', 'is', null)
      .orderBy('o.failedAt', 'desc')
      .limit(FAILED_JOBS_SHOWN)
      .$narrowType<{ failedAt: Date }>()
      .execute();
  }
}
