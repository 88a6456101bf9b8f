import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry';
import { OutboxBacklogRepository } from './outbox-backlog.repository';
import { ScrapeSource } from './scrape-source';

/**
 * The outbox's lag: work written to PostgreSQL whose job has not run yet. A growing backlog means the relay
 * cannot publish (Redis down or full) or no worker consumes; failed rows wait for an administrator or the
 * reconciler. Like the queue series, every API replica reports the same figures.
 */
@Injectable()
export class OutboxMetrics {
  constructor(backlog: OutboxBacklogRepository, metrics: MetricsRegistry) {
    const source = new ScrapeSource('outbox', () => backlog.read(), metrics.collectErrors);
    const gauge = (name: string, help: string, value: (b: NonNullable<Awaited<ReturnType<typeof source.get>>>) => number) =>
      new Gauge({
        name: `${METRIC_PREFIX}${name}`,
        help,
        registers: [metrics.registry],
        async collect() {
          const read = await source.get();
          // Left out, not zero, when the database did not answer: zero would say the backlog is empty.
          if (read) this.set(value(read));
          else this.remove({});
        },
      });
    gauge('outbox_open_rows', 'Outbox rows due whose job has neither completed nor failed (published or not)', (b) => b.open);
    gauge(
      'outbox_oldest_open_age_seconds',
      'Seconds since the oldest open outbox row became due (0 when none is open)',
      (b) => b.oldestOpenAgeSeconds,
    );
    gauge('outbox_failed_rows', 'Outbox rows whose job exhausted its attempts and has not completed since', (b) => b.failed);
  }
}
