import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PrivateRedis } from '../../../test/private-redis';
import { eventually, TestContext } from '../../../test/test-app';
import { WorkerModule } from '../../app.module';
import { JobWorker } from '../../infrastructure/queue/job-worker';

/** Liveness, readiness and the summary against a Redis of the suite's own, which it stops. */
describe('health for orchestrators (real PostgreSQL and Redis)', () => {
  let redis: PrivateRedis;
  let ctx: TestContext;
  const sharedRedisUrl = process.env.REDIS_URL;

  beforeAll(async () => {
    redis = await PrivateRedis.create();
    await redis.start();
    process.env.REDIS_URL = redis.url;
    ctx = await TestContext.create();
  }, 30_000);

  afterAll(async () => {
    await ctx.close();
    await redis.stop();
    process.env.REDIS_URL = sharedRedisUrl;
  });

  const summary = async () => (await ctx.http.get('/api/health').expect(200)).body;

  it('says ok while a worker consumes every queue, and that the worker is down once it stops', async () => {
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 1 });
    try {
      const up = await eventually(async () => {
        const body = await summary();
        return body.worker === 'up' && body;
      }, 'the worker to be seen');
      expect(up).toEqual({ status: 'ok', database: 'up', migrations: 'applied', redis: 'up', worker: 'up' });
    } finally {
      await worker.get(JobWorker).stop();
      await worker.close();
    }
    expect(await summary()).toEqual({ status: 'degraded', database: 'up', migrations: 'applied', redis: 'up', worker: 'down' });
  });

  it('stays live and ready without Redis; the summary says degraded, Redis down and the worker unknown', async () => {
    await redis.stop();
    try {
      await ctx.http.get('/api/health/live').expect(200, { status: 'ok' });
      await ctx.http.get('/api/health/ready').expect(200, { status: 'ok', database: 'up', migrations: 'applied' });
      expect(await summary()).toEqual({ status: 'degraded', database: 'up', migrations: 'applied', redis: 'down', worker: 'unknown' });
    } finally {
      await redis.start();
    }
    await eventually(async () => (await summary()).redis === 'up', 'Redis to be reached again');
  });
});
