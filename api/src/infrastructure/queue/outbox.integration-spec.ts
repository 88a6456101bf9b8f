import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, readdirSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { OwnDatabase } from '../../../test/own-database';
import { PrivateRedis } from '../../../test/private-redis';
import { WorkerModule } from '../../app.module';
import { SendWelcomeEmailJob } from '../../modules/notifications/jobs/send-welcome-email.job';
import { UsersService } from '../../modules/users/users.service';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { JobWorker } from './job-worker';
import { JobName } from './job-names';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';
import { QueueName } from './job-names';

async function eventually<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('job pipeline: outbox → relay → BullMQ → worker (real PostgreSQL and Redis)', () => {
  let redis: PrivateRedis;
  let app: INestApplicationContext;
  let dataSource: DataSource;
  let config: AppConfig;
  const sharedRedisUrl = process.env.REDIS_URL;

  let own: OwnDatabase;

  beforeAll(async () => {
    // This suite owns its Redis so it can stop it, and its database so its relay sees only this
    // suite's outbox rows (not the hundreds other suites leave unpublished); the rest of the run
    // keeps using the shared ones.
    own = await OwnDatabase.use('outbox');
    redis = await PrivateRedis.create();
    process.env.REDIS_URL = redis.url;
    app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await app.init();
    dataSource = app.get(DataSource);
    config = app.get(APP_CONFIG);
    app.get(JobWorker).start({ concurrency: 2 });
  }, 30_000);

  afterAll(async () => {
    await redis.start(); // BullMQ closes cleanly only with a server to say goodbye to
    await app.get(OutboxRelay).stop();
    await app.get(JobWorker).stop();
    await app.close();
    await redis.stop();
    process.env.REDIS_URL = sharedRedisUrl;
    await own.release();
  });

  const notificationsFor = (key: string) =>
    dataSource.query(`SELECT id, sent_at, stored_file FROM notifications WHERE dedupe_key = $1`, [key]);

  it('delivers a row committed while Redis is down once Redis comes back', async () => {
    await redis.stop();
    const relay = app.get(OutboxRelay);
    relay.start();

    // Redis is not running yet: registration still succeeds (PostgreSQL is the system of record).
    const user = await app
      .get(UsersService)
      .create({ email: `down-${Date.now()}@example.org`, password: 'a long password', fullName: 'Queued While Down' }, null, 'cli');
    const [row] = await eventually(async () => {
      const rows = await dataSource.query(
        `SELECT id, published_at, publish_attempts FROM outbox WHERE payload->>'userId' = $1 AND publish_attempts > 0`,
        [user.id],
      );
      return rows.length ? rows : null;
    });
    expect(row.published_at).toBeNull();

    await redis.start();
    const [sent] = await eventually(async () => {
      const rows = await notificationsFor(`welcome:${user.id}`);
      return rows[0]?.sent_at ? rows : null;
    }, 30_000);
    expect(existsSync(`${config.mailDir}/${sent.stored_file}`)).toBe(true);
    const [published] = await dataSource.query(`SELECT published_at FROM outbox WHERE id = $1`, [row.id]);
    expect(published.published_at).not.toBeNull();
  }, 60_000);

  it('enqueues nothing when the business transaction rolls back', async () => {
    await redis.start();
    const marker = `rollback-${Date.now()}`;
    await expect(
      dataSource.transaction(async (tx) => {
        await app.get(OutboxService).enqueue(tx, JobName.SendWelcomeEmail, { userId: marker });
        throw new Error('validation failed after enqueue');
      }),
    ).rejects.toThrow('validation failed after enqueue');
    await app.get(OutboxRelay).publishPending();
    const rows = await dataSource.query(`SELECT id FROM outbox WHERE payload->>'userId' = $1`, [marker]);
    expect(rows).toHaveLength(0);
    const queue = app.get(QueueRegistry).get(QueueName.Notifications);
    const jobs = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(jobs.filter((j) => j.data?.userId === marker)).toHaveLength(0);
  }, 30_000);

  it('publishes with jobId = outbox id, so publishing one row twice makes one job', async () => {
    await redis.start();
    const id = await dataSource.transaction((tx) =>
      app.get(OutboxService).enqueue(tx, JobName.SendWelcomeEmail, { userId: '00000000-0000-4000-8000-000000000001' }),
    );
    await app.get(OutboxRelay).publishPending();
    const queue = app.get(QueueRegistry).get(QueueName.Notifications);
    // A crash between add() and marking the row published makes the relay add it again.
    await queue.add(JobName.SendWelcomeEmail, { userId: '00000000-0000-4000-8000-000000000001' }, { jobId: id });
    const job = await queue.getJob(id);
    expect(job?.id).toBe(id);
    const counts = await queue.getJobs(['waiting', 'active', 'completed', 'delayed', 'failed']);
    expect(counts.filter((j) => j.id === id)).toHaveLength(1);
  }, 30_000);

  it('has one effect when the same job is delivered twice, even concurrently', async () => {
    await redis.start();
    const user = await app
      .get(UsersService)
      .create({ email: `twice-${Date.now()}@example.org`, password: 'a long password', fullName: 'Delivered Twice' }, null, 'cli');
    const handler = app.get(SendWelcomeEmailJob);
    await Promise.all([handler.handle({ userId: user.id }), handler.handle({ userId: user.id })]);
    await handler.handle({ userId: user.id });
    // The relay's own delivery of the registration job also lands on the same dedupe key.
    await eventually(async () => {
      const [row] = await dataSource.query(`SELECT published_at FROM outbox WHERE payload->>'userId' = $1`, [user.id]);
      return row?.published_at;
    });
    const queue = app.get(QueueRegistry).get(QueueName.Notifications);
    await eventually(async () => (await queue.getJobCounts('waiting', 'active')).waiting === 0);
    expect(await notificationsFor(`welcome:${user.id}`)).toHaveLength(1);
    const files = readdirSync(config.mailDir).filter((f) => f.endsWith('.eml'));
    const [{ stored_file }] = await notificationsFor(`welcome:${user.id}`);
    expect(files.filter((f) => f === stored_file)).toHaveLength(1);
  }, 30_000);
});
