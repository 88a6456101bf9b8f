import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { OwnDatabase } from '../../../test/own-database';
import { PrivateRedis } from '../../../test/private-redis';
import { WorkerModule } from '../../app.module';
import { UsersService } from '../../modules/users/users.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JOB_QUEUE, JobName, PERIODIC_JOBS, QueueName } from './job-names';
import { JobWorker } from './job-worker';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';
import { redisOptions } from './redis-connection';
import { ReconciliationService } from './reconciliation.service';

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface OutboxRow {
  published_at: Date | null;
  completed_at: Date | null;
  failed_at: Date | null;
  failures: number;
  job_error: string | null;
}

describe('job durability: completion, final failure, reconciliation (real PostgreSQL and Redis)', () => {
  const savedEnv = { ...process.env };
  let own: OwnDatabase;
  let redis: PrivateRedis;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let config: AppConfig;
  let admin: { email: string };

  beforeAll(async () => {
    // Its own database (the relay and the reconciler see only this suite's rows) and its own Redis (it is flushed).
    own = await OwnDatabase.use('durability');
    redis = await PrivateRedis.create();
    await redis.start();
    process.env.REDIS_URL = redis.url;
    process.env.JOB_STALLED_INTERVAL_SECONDS = '1';
    process.env.JOB_MAX_STALLED = '1';
    app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
    config = app.get(APP_CONFIG);
    app.get(JobWorker).start({ concurrency: 2 });
    app.get(OutboxRelay).start();
    admin = await app
      .get(UsersService)
      .create(
        { email: `ops-${randomUUID()}@example.org`, password: 'a long password', fullName: 'On Call', roles: ['admin'] },
        null,
        'cli',
      );
  }, 60_000);

  afterAll(async () => {
    await app.get(ReconciliationService).stop();
    await app.get(OutboxRelay).stop();
    await app.get(JobWorker).stop();
    await app.close();
    await redis.stop();
    await own.release();
    process.env = savedEnv;
  });

  const queue = (name: QueueName) => app.get(QueueRegistry).get(name);
  const outboxRow = async (id: string): Promise<OutboxRow> =>
    (await dataSource.query(`SELECT published_at, completed_at, failed_at, failures, job_error FROM outbox WHERE id = $1`, [id]))[0];
  const alertsFor = (outboxId: string): Promise<Array<{ failures: number }>> =>
    dataSource.query(`SELECT (payload->>'failures')::int AS failures FROM outbox WHERE job_name = $1 AND payload->>'outboxId' = $2`, [
      JobName.AlertJobFailed,
      outboxId,
    ]);

  it('records on the outbox row that the job completed, once its handler has run', async () => {
    const user = await app
      .get(UsersService)
      .create({ email: `done-${randomUUID()}@example.org`, password: 'a long password', fullName: 'Welcomed' }, null, 'cli');
    const [{ id }] = await dataSource.query(`SELECT id FROM outbox WHERE job_name = $1 AND payload->>'userId' = $2`, [
      JobName.SendWelcomeEmail,
      user.id,
    ]);
    const row = await eventually(async () => {
      const r = await outboxRow(id);
      return r.completed_at ? r : null;
    }, 'completion');
    expect(row.failed_at).toBeNull();
    const [mail] = await dataSource.query(`SELECT sent_at FROM notifications WHERE dedupe_key = $1`, [`welcome:${user.id}`]);
    expect(mail.sent_at).not.toBeNull();
  }, 30_000);

  it('records a job that exhausted its attempts as failed, alerts each admin once, and retries it after the cool-off', async () => {
    // A malformed id makes the real handler's query throw on every attempt.
    const payload = { userId: 'not-a-uuid' };
    let id = '';
    await dataSource.transaction(async (tx) => {
      id = await app.get(OutboxService).enqueue(tx, JobName.SendWelcomeEmail, payload);
      // Test-only retry policy (2 quick attempts, not 8 over 4 minutes): added under the row's id before the
      // relay publishes it, so the relay's own add finds the job there and only marks the row published.
      await queue(QueueName.Notifications).add(JobName.SendWelcomeEmail, payload, {
        jobId: id,
        attempts: 2,
        backoff: { type: 'fixed', delay: 300 },
      });
    });

    const failed = await eventually(async () => {
      const r = await outboxRow(id);
      return r.failed_at && r.published_at ? r : null;
    }, 'the failure to be recorded');
    expect(failed.failures).toBe(1);
    expect(failed.job_error).toMatch(/uuid/);
    expect(await alertsFor(id)).toEqual([{ failures: 1 }]);
    const mails = await eventually(async () => {
      const rows = await dataSource.query(`SELECT recipient, sent_at, subject FROM notifications WHERE dedupe_key LIKE $1`, [
        `job-failed:${id}:1:%`,
      ]);
      return rows.length && rows.every((m: { sent_at: Date | null }) => m.sent_at) ? rows : null;
    }, 'the admin alert mail');
    expect(mails).toHaveLength(1);
    expect(mails[0].recipient).toBe(admin.email);
    expect(mails[0].subject).toBe(`A background job failed: ${JobName.SendWelcomeEmail}`);

    // Not yet due for a retry: a pass leaves it failed.
    const early = await app.get(ReconciliationService).run('admin');
    expect(early.error).toBeNull();
    expect(early.requeued['outbox.retried']).toBe(0);

    config.reconcile.failedRetryMs = 1;
    try {
      const outcome = await app.get(ReconciliationService).run('admin');
      expect(outcome.requeued['outbox.retried']).toBe(1);
      // Retried with all its attempts, it fails again: counted, but the second failure is not alerted.
      const again = await eventually(async () => {
        const r = await outboxRow(id);
        return r.failed_at && r.failures === 2 ? r : null;
      }, 'the second failure');
      expect(again.job_error).toMatch(/uuid/);
      expect(await alertsFor(id)).toEqual([{ failures: 1 }]);
    } finally {
      config.reconcile.failedRetryMs = 15 * 60_000;
    }
    const [run] = await app.get(ReconciliationService).lastRuns(1);
    expect(run.trigger).toBe('admin');
  }, 45_000);

  it('puts back every job Redis lost (due and delayed) and the periodic schedulers after a FLUSHALL', async () => {
    const reconciliation = app.get(ReconciliationService);
    expect((await reconciliation.run('schedule')).redisReset).toBe(false);

    // Due but not yet run (its queue is paused), and delayed two years ahead.
    await queue(QueueName.Notifications).pause();
    const user = await app
      .get(UsersService)
      .create({ email: `lost-${randomUUID()}@example.org`, password: 'a long password', fullName: 'Lost Then Found' }, null, 'cli');
    const remindAt = new Date(Date.now() + 2 * 365 * 24 * 3600 * 1000);
    const reminderId = await dataSource.transaction((tx) =>
      app
        .get(OutboxService)
        .enqueue(tx, JobName.CertificateExpiryReminder, { certificateId: randomUUID(), daysBefore: 30 }, { runAt: remindAt }),
    );
    const [{ id: welcomeId }] = await dataSource.query(`SELECT id FROM outbox WHERE job_name = $1 AND payload->>'userId' = $2`, [
      JobName.SendWelcomeEmail,
      user.id,
    ]);
    await eventually(async () => (await outboxRow(reminderId)).published_at && (await outboxRow(welcomeId)).published_at, 'publication');

    // Fault injection, the subject of this test: Redis loses everything (as a restart without persistence would).
    const raw = new Redis(redis.url);
    await raw.flushall();
    await raw.quit();
    expect(await queue(QueueName.Notifications).getJobState(welcomeId)).toBe('unknown');

    const outcome = await reconciliation.run('schedule');
    expect(outcome).toMatchObject({ redisReset: true, error: null });
    expect(outcome.requeued['outbox.lost']).toBeGreaterThanOrEqual(2);

    const reminder = await queue(QueueName.Certificates).getJob(reminderId);
    expect(await reminder?.getState()).toBe('delayed');
    expect(Math.abs(reminder!.timestamp + reminder!.delay - remindAt.getTime())).toBeLessThan(60_000);
    for (const periodic of PERIODIC_JOBS) {
      expect(await queue(JOB_QUEUE[periodic.name]).getJobScheduler(periodic.name)).toBeDefined();
    }
    // The flush also lifted the pause: the welcome mail goes out after all.
    await eventually(async () => (await outboxRow(welcomeId)).completed_at, 'the lost welcome job to complete');

    const next = await reconciliation.run('schedule');
    expect(next).toMatchObject({ redisReset: false, error: null });
    expect(next.requeued['outbox.lost']).toBe(0);
  }, 45_000);

  it('fails a job whose worker died more often than JOB_MAX_STALLED, and records it', async () => {
    const worker = app.get(JobWorker);
    await worker.stop();
    const notifications = queue(QueueName.Notifications);
    await eventually(async () => {
      const counts = await notifications.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, 'the notifications queue to be idle');
    const id = await dataSource.transaction((tx) => app.get(OutboxService).enqueue(tx, JobName.SendWelcomeEmail, { userId: randomUUID() }));
    await eventually(async () => (await outboxRow(id)).published_at, 'publication');

    // A worker that takes the job and dies with it (its lock is never renewed again), twice.
    const crashWhileRunning = async () => {
      let taken: () => void = () => undefined;
      const running = new Promise<void>((resolve) => (taken = resolve));
      const doomed = new Worker(
        QueueName.Notifications,
        (job) => {
          if (job.id === id) taken();
          return new Promise(() => undefined);
        },
        {
          prefix: config.redisPrefix,
          connection: redisOptions(config.redisUrl, { maxRetriesPerRequest: null }),
          lockDuration: 1_000,
          stalledInterval: 1_000,
          maxStalledCount: 1,
        },
      );
      doomed.on('error', () => undefined);
      await running;
      await doomed.close(true);
    };
    await crashWhileRunning();
    await crashWhileRunning();

    // The real worker finds it stalled a second time (more than JOB_MAX_STALLED=1) and fails it.
    worker.start({ concurrency: 2 });
    const failed = await eventually(async () => {
      const r = await outboxRow(id);
      return r.failed_at ? r : null;
    }, 'the stalled job to be recorded failed');
    expect(failed).toMatchObject({ failures: 1, job_error: 'job stalled more than allowable limit', completed_at: null });
    expect(await notifications.getJobState(id)).toBe('failed');
    expect(await alertsFor(id)).toEqual([{ failures: 1 }]);
  }, 45_000);

  it('records a failure the worker did not live to record when the reconciler finds it in Redis', async () => {
    const worker = app.get(JobWorker);
    await worker.stop();
    const payload = { userId: randomUUID() };
    let id = '';
    await dataSource.transaction(async (tx) => {
      id = await app.get(OutboxService).enqueue(tx, JobName.SendWelcomeEmail, payload);
      await queue(QueueName.Notifications).add(JobName.SendWelcomeEmail, payload, { jobId: id, attempts: 1 });
    });
    await eventually(async () => (await outboxRow(id)).published_at, 'publication');
    // A bare BullMQ worker fails the job and records nothing, as a worker killed right after failing it would.
    const bare = new Worker(
      QueueName.Notifications,
      async () => {
        throw new Error('SMTP server refused the message');
      },
      { prefix: config.redisPrefix, connection: redisOptions(config.redisUrl, { maxRetriesPerRequest: null }) },
    );
    await eventually(async () => (await queue(QueueName.Notifications).getJobState(id)) === 'failed', 'the job to fail in Redis');
    await bare.close();
    expect((await outboxRow(id)).failed_at).toBeNull();

    // Fault injection: the row is seconds old, so a pass checks it only after a Redis reset (the marker gone).
    const raw = new Redis(redis.url);
    await raw.del(`${config.redisPrefix}:psf:reconciled`);
    await raw.quit();
    worker.start({ concurrency: 2 });
    const outcome = await app.get(ReconciliationService).run('schedule');
    expect(outcome).toMatchObject({ redisReset: true, error: null });
    expect(await outboxRow(id)).toMatchObject({ failures: 1, job_error: 'SMTP server refused the message' });
    expect(await alertsFor(id)).toEqual([{ failures: 1 }]);
  }, 30_000);
});
