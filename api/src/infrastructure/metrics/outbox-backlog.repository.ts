import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { sql } from 'kysely';
import { DataSource } from 'typeorm';
import { typed } from '../database/kysely';
import { queueReader } from '../queue/queue.reader';

export interface OutboxBacklog {
  /** Rows whose time has come and whose job has neither completed nor failed, published or not. */
  open: number;
  /** Seconds since the oldest of them became due; 0 when there is none. */
  oldestOpenAgeSeconds: number;
  /** Rows whose job exhausted its attempts and has not completed since. */
  failed: number;
}

/**
 * The outbox's backlog for the metrics, read through the queue's reader (the outbox is the queue's table).
 * Both conditions are those of partial indexes on the outbox (open, failed), so a scrape stays cheap however
 * many completed rows it keeps; ages are measured by PostgreSQL's clock, the one that wrote the rows.
 */
@Injectable()
export class OutboxBacklogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(): Promise<OutboxBacklog> {
    const db = typed(this.dataSource);
    const outbox = () => db.selectFrom(queueReader.outbox(db).as('o'));
    const [open, failed] = await Promise.all([
      outbox()
        .select((eb) => [
          eb.fn.countAll<string>().as('n'),
          // A row re-queued for a time already past (an overdue deadline) has waited since it was written.
          sql<number | null>`extract(epoch from now() - min(greatest(${eb.ref('o.runAt')}, ${eb.ref('o.createdAt')})))::float8`.as('age'),
        ])
        .where('o.completedAt', 'is', null)
        .where('o.failedAt', 'is', null)
        .where('o.runAt', '<=', sql<Date>`now()`)
        .executeTakeFirstOrThrow(),
      outbox()
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('o.failedAt', 'is not', null)
        .where('o.completedAt', 'is', null)
        .executeTakeFirstOrThrow(),
    ]);
    return { open: Number(open.n), oldestOpenAgeSeconds: Math.max(0, Number(open.age ?? 0)), failed: Number(failed.n) };
  }
}
