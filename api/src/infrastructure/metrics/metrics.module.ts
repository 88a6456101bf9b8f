import { Global, Module } from '@nestjs/common';
import { ExamMetrics } from './exam-metrics';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics-registry';
import { OutboxBacklogRepository } from './outbox-backlog.repository';
import { OutboxMetrics } from './outbox-metrics';
import { PoolMetrics } from './pool-metrics';
import { QueueMetrics } from './queue-metrics';

/**
 * Prometheus metrics of the API process at `GET /metrics` (issue #16). Global so that a module can count
 * its own events (ExamMetrics) without importing it; the worker does not load it and serves no metrics.
 * The queue, outbox and pool collectors are instantiated for the series they register at scrape time.
 */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [MetricsRegistry, HttpMetrics, ExamMetrics, QueueMetrics, OutboxBacklogRepository, OutboxMetrics, PoolMetrics],
  exports: [HttpMetrics, ExamMetrics],
})
export class MetricsModule {}
