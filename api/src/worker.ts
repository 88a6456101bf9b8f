import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './app.module';
import { ConfigError } from './infrastructure/config/app-config';
import { JobWorker } from './infrastructure/queue/job-worker';
import { OutboxRelay } from './infrastructure/queue/outbox-relay';
import { ReconciliationService } from './infrastructure/queue/reconciliation.service';

/** Under the 30 s an orchestrator (Kubernetes, docker compose stop) gives before SIGKILL. */
const SHUTDOWN_GRACE_MS = 25_000;

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  const worker = app.get(JobWorker);
  const relay = app.get(OutboxRelay);
  const reconciliation = app.get(ReconciliationService);
  worker.start(); // throws when a job name has no handler: the worker does not boot half-configured
  relay.start();
  reconciliation.start(); // a pass now (what did the last run or a lost Redis leave owed?), then every interval

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.get(Logger).log(`worker received ${signal}; finishing running jobs`);
    // Closing waits for running jobs and for Redis to say goodbye; during a Redis outage it would wait forever.
    // Past the grace the process exits like a killed one: its unfinished jobs stall and run again elsewhere.
    setTimeout(() => {
      app.get(Logger).warn(`worker did not stop within ${SHUTDOWN_GRACE_MS} ms; exiting (unfinished jobs will run again)`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await reconciliation.stop();
    await relay.stop();
    await worker.stop();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(
    error instanceof ConfigError
      ? `${error.message}\n`
      : `Worker failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
