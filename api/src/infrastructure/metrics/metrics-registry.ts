import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** Every series the API exposes starts with this, the platform's own and Node's defaults alike. */
export const METRIC_PREFIX = 'psf_';

/** What a scrape-time read may be: its series are left out of a scrape it fails in. */
export type CollectSource = 'queues' | 'outbox';

/**
 * The API process's metrics registry, one per application instance rather than prom-client's global
 * one: a test process builds several apps, and each must be able to register its series afresh.
 * Without METRICS_TOKEN `/metrics` answers 404 and Node's default metrics (a GC observer, an event-loop
 * delay histogram) are not started; the platform's counters still count, which costs next to nothing.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();
  /** The bearer token a scraper must present; undefined turns `/metrics` off. */
  readonly token: string | undefined;
  readonly collectErrors: Counter<'source'>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.token = config.metricsToken;
    this.collectErrors = new Counter({
      name: `${METRIC_PREFIX}metrics_collect_errors_total`,
      help: 'Scrape-time reads (Redis queues, the outbox) that failed or timed out; their series are left out of that scrape',
      labelNames: ['source'],
      registers: [this.registry],
    });
    // Event-loop lag (psf_nodejs_eventloop_lag_seconds), heap, GC, CPU, handles and file descriptors.
    if (this.enabled) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  get enabled(): boolean {
    return this.token !== undefined;
  }
}
