import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobRecovery } from './job-recovery';
import { OutboxReconciler } from './outbox-reconciler';
import { ReconcileRun, ReconcileRunsRepository, ReconcileTrigger } from './reconcile-runs.repository';
import { RECONCILER, ReconcilerInstance } from './reconciler';

/** What one pass found: whether Redis had lost its data, and how many effects each part queued again. */
export interface ReconcileOutcome {
  redisReset: boolean;
  requeued: Record<string, number>;
  error: string | null;
}

const RECONCILE_LOCK = 7_346_061;
const KEEP_RUNS_MS = 30 * 24 * 3600 * 1000;
const MAX_ERROR_LENGTH = 1_000;
const ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * Keeps every promise PostgreSQL records on its way, whatever Redis lost or the worker missed: re-asserts the
 * periodic schedulers, reconciles the outbox with Redis, then runs each module's `@Reconciler()`. The worker
 * runs a pass at start and every RECONCILE_INTERVAL_SECONDS on an in-process timer (a BullMQ scheduler
 * would vanish with the Redis data it must repair); an administrator can ask for one.
 */
@Injectable()
export class ReconciliationService {
  private readonly logger = new Logger(ReconciliationService.name);
  private running: Promise<ReconcileOutcome> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private reconcilers: ReconcilerInstance[] | null = null;
  private lastErrorLog = 0;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly outbox: OutboxReconciler,
    private readonly recovery: JobRecovery,
    private readonly runs: ReconcileRunsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs a pass now and then every interval, until `stop()`. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.tick('start');
  }

  /** Stops the timer and waits for a pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /**
   * One pass; never throws (PostgreSQL or Redis down makes it an error, tried again next interval). One pass
   * at a time per process (a caller arriving mid-pass gets that pass's outcome) and across processes (an
   * advisory lock: a process finding it held does nothing and says so in `error`).
   */
  run(trigger: ReconcileTrigger): Promise<ReconcileOutcome> {
    this.running ??= this.pass(trigger).finally(() => (this.running = null));
    return this.running;
  }

  async lastRuns(limit: number): Promise<ReconcileRun[]> {
    return this.runs.latest(limit);
  }

  private async tick(trigger: ReconcileTrigger): Promise<void> {
    await this.run(trigger);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick('schedule'), this.config.reconcile.intervalMs);
    this.timer.unref();
  }

  private async pass(trigger: ReconcileTrigger): Promise<ReconcileOutcome> {
    const startedAt = new Date();
    try {
      const outcome = await this.runs.exclusively(RECONCILE_LOCK, async (tx) => {
        const found = await this.reconcileAll(startedAt);
        await this.runs.record(tx, { startedAt, trigger, ...found });
        await this.runs.deleteStartedBefore(tx, new Date(startedAt.getTime() - KEEP_RUNS_MS));
        return found;
      });
      if (!outcome) return { redisReset: false, requeued: {}, error: 'another process is running a reconciliation pass' };
      this.report(trigger, outcome);
      return outcome;
    } catch (error) {
      const message = `reconciliation cannot run: ${(error as Error).message}`;
      this.logBounded(message);
      return { redisReset: false, requeued: {}, error: message.slice(0, MAX_ERROR_LENGTH) };
    }
  }

  /** Each part on its own: one failing (Redis down, a module's bug) never stops the others. */
  private async reconcileAll(now: Date): Promise<ReconcileOutcome> {
    const requeued: Record<string, number> = {};
    const errors: string[] = [];
    let redisReset = false;
    try {
      await this.recovery.redisReady();
      await this.recovery.upsertPeriodicJobs();
      const outbox = await this.outbox.reconcile(now);
      redisReset = outbox.redisReset;
      requeued['outbox.lost'] = outbox.lost;
      requeued['outbox.retried'] = outbox.retried;
    } catch (error) {
      errors.push(`queues: ${(error as Error).message}`);
    }
    for (const reconciler of this.moduleReconcilers()) {
      try {
        requeued[reconciler.name] = await reconciler.reconcile(now);
      } catch (error) {
        errors.push(`${reconciler.name}: ${(error as Error).message}`);
      }
    }
    return { redisReset, requeued, error: errors.length ? errors.join('; ').slice(0, MAX_ERROR_LENGTH) : null };
  }

  /** Every provider marked `@Reconciler()`, found once. */
  private moduleReconcilers(): ReconcilerInstance[] {
    this.reconcilers ??= this.discovery
      .getProviders()
      .filter(({ metatype, instance }) => metatype && instance && Reflect.getMetadata(RECONCILER, metatype))
      .map(({ instance }) => instance as ReconcilerInstance);
    return this.reconcilers;
  }

  private report(trigger: ReconcileTrigger, outcome: ReconcileOutcome): void {
    const found = Object.entries(outcome.requeued).filter(([, n]) => n > 0);
    if (found.length || outcome.redisReset) {
      const counts = found.map(([name, n]) => `${name}=${n}`).join(', ') || 'nothing';
      this.logger.log(`reconciliation (${trigger})${outcome.redisReset ? ' after a Redis reset' : ''} queued again: ${counts}`);
    }
    if (outcome.error) this.logBounded(`reconciliation (${trigger}) incomplete: ${outcome.error}`);
  }

  private logBounded(message: string): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    this.logger.warn(message);
  }
}
