import { Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram } from 'prom-client';
import { routeTemplate } from '../logging/request-log-line';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry';

/** Seconds; from a cached static answer to a slow form draw under load. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function statusClassOf(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}

/** Request counts by route, method and status, and their latency, for every answer the API gives. */
@Injectable()
export class HttpMetrics {
  private readonly enabled: boolean;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_class'>;

  constructor(metrics: MetricsRegistry) {
    this.enabled = metrics.enabled;
    this.requests = new Counter({
      name: `${METRIC_PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      registers: [metrics.registry],
    });
    this.duration = new Histogram({
      name: `${METRIC_PREFIX}http_request_duration_seconds`,
      help: 'Time from receiving a request to the last byte of its answer, by method, route template and status class',
      labelNames: ['method', 'route', 'status_class'],
      buckets: DURATION_BUCKETS,
      registers: [metrics.registry],
    });
  }

  /**
   * Express middleware, mounted before everything else (http-app.ts) so that it times the whole answer and
   * sees the ones no controller gives: 404s, guards' refusals, body-parser errors. The route is read when
   * the answer is finished, once Express has matched it. A request the client abandons is not counted.
   */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!this.enabled) return next();
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      // The route template (the request log's rule), never the URL: ids in labels would make a series per attempt.
      this.record(req.method, routeTemplate(req, res.statusCode), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  /** Counts one answer (the middleware's, or one the shared response cache gave before it). */
  record(method: string, route: string, status: number, seconds: number): void {
    if (!this.enabled) return;
    this.requests.inc({ method, route, status: String(status) });
    this.duration.observe({ method, route, status_class: statusClassOf(status) }, seconds);
  }
}
