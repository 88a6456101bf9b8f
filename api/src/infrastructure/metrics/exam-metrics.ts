import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { METRIC_PREFIX, MetricsRegistry } from './metrics-registry';

/**
 * The examination's throughput as the exams module sees it: attempts started and answers saved, counted
 * once each is committed (a refused or rolled-back one does not count). Only the API has these; the
 * worker neither starts attempts nor saves answers.
 */
@Injectable()
export class ExamMetrics {
  private readonly attemptsStarted: Counter;
  private readonly answersSaved: Counter;

  constructor(metrics: MetricsRegistry) {
    this.attemptsStarted = new Counter({
      name: `${METRIC_PREFIX}exam_attempts_started_total`,
      help: 'AIDA attempts started (committed) by this API process',
      registers: [metrics.registry],
    });
    this.answersSaved = new Counter({
      name: `${METRIC_PREFIX}exam_answers_saved_total`,
      help: 'Answer saves acknowledged (committed) by this API process, idempotent repeats included',
      registers: [metrics.registry],
    });
  }

  attemptStarted(): void {
    this.attemptsStarted.inc();
  }

  answerSaved(): void {
    this.answersSaved.inc();
  }
}
