import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry';

/** What pg's Pool tells of itself. */
interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** TypeORM's PostgreSQL driver keeps its pg Pool as `master`; null before the DataSource is initialised. */
function poolOf(dataSource: DataSource): PgPoolCounts | null {
  const pool = (dataSource.driver as unknown as { master?: PgPoolCounts }).master;
  return pool && typeof pool.totalCount === 'number' ? pool : null;
}

/**
 * This process's PostgreSQL connections (DATABASE_POOL_SIZE at most): requests waiting for one mean the
 * pool, not the database, is the bottleneck. Read from memory at scrape time.
 */
@Injectable()
export class PoolMetrics {
  constructor(@InjectDataSource() dataSource: DataSource, metrics: MetricsRegistry) {
    new Gauge({
      name: `${METRIC_PREFIX}db_pool_connections`,
      help: 'PostgreSQL pool of this process: connections open (total), idle, and requests waiting for one (waiting)',
      labelNames: ['state'],
      registers: [metrics.registry],
      collect() {
        const pool = poolOf(dataSource);
        this.reset();
        if (!pool) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: `${METRIC_PREFIX}db_pool_max_connections`,
      help: 'The most connections the PostgreSQL pool of this process opens (DATABASE_POOL_SIZE)',
      registers: [metrics.registry],
      collect() {
        const max = poolOf(dataSource)?.options?.max;
        if (typeof max === 'number') this.set(max);
        else this.remove({});
      },
    });
  }
}
