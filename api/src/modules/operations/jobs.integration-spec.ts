import { randomUUID } from 'node:crypto';
import { PrivateRedis } from '../../../test/private-redis';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';

describe('admin jobs page: failed jobs, retry and reconciliation', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  /**
   * A real outbox row (creating an account queues its welcome mail), then put in the failed state as
   * the worker records a job that exhausted its attempts. Writing the row directly is the fault this
   * suite injects: no real flow makes a mail job fail on demand.
   */
  async function failedWelcomeMail(): Promise<{ id: string; userId: string }> {
    const person = await ctx.newCandidate();
    const [row] = await ctx.dataSource.query(`SELECT id FROM outbox WHERE job_name = 'send-welcome-email' AND payload->>'userId' = $1`, [
      person.id,
    ]);
    await ctx.dataSource.query(
      `UPDATE outbox SET published_at = now(), failed_at = now(), failures = 5, job_error = 'SMTP refused the message' WHERE id = $1`,
      [row.id],
    );
    return { id: row.id, userId: person.id };
  }

  it('lists a failed job with its name, ids and error, and counts it in the outbox', async () => {
    const failed = await failedWelcomeMail();
    const res = await ctx.as(admin).get('/api/admin/jobs').expect(200);
    expect(res.body.redisUp).toBe(true);
    expect(res.body.queues).toEqual(
      expect.arrayContaining([
        {
          name: 'notifications',
          waiting: expect.any(Number),
          active: expect.any(Number),
          delayed: expect.any(Number),
          failed: expect.any(Number),
          completed: expect.any(Number),
        },
      ]),
    );
    expect(res.body.outbox.failed).toBeGreaterThanOrEqual(1);
    expect(res.body.failedJobs[0]).toEqual({
      id: failed.id,
      jobName: 'send-welcome-email',
      queue: 'notifications',
      runAt: expect.any(String),
      failedAt: expect.any(String),
      failures: 5,
      error: 'SMTP refused the message',
      payloadIds: { userId: failed.userId },
    });
    expect(Array.isArray(res.body.lastRuns)).toBe(true);
  });

  it('retries a failed job once: 202 and audited, then 409 because it is no longer failed', async () => {
    const failed = await failedWelcomeMail();
    await ctx.as(admin).post(`/api/admin/jobs/${failed.id}/retry`).expect(202, { outcome: 'retried' });

    const [row] = await ctx.dataSource.query(`SELECT failed_at FROM outbox WHERE id = $1`, [failed.id]);
    expect(row.failed_at).toBeNull();
    const listed = await ctx.as(admin).get('/api/admin/jobs').expect(200);
    expect(listed.body.failedJobs.map((j: { id: string }) => j.id)).not.toContain(failed.id);
    const audit = await ctx.dataSource.query(
      `SELECT actor_id FROM audit_log WHERE action = 'job.retried' AND subject_type = 'job' AND subject_id = $1`,
      [failed.id],
    );
    expect(audit).toEqual([{ actor_id: admin.id }]);

    const again = await ctx.as(admin).post(`/api/admin/jobs/${failed.id}/retry`).expect(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it('answers 404 for a job that does not exist and 400 for an id that is not one', async () => {
    await ctx.as(admin).post(`/api/admin/jobs/${randomUUID()}/retry`).expect(404);
    await ctx.as(admin).post('/api/admin/jobs/not-a-job/retry').expect(400);
  });

  it('runs a reconciliation pass on request, records it as an admin run and audits it', async () => {
    const res = await ctx.as(admin).post('/api/admin/jobs/reconcile').expect(200);
    expect(res.body).toEqual({ redisReset: expect.any(Boolean), requeued: expect.any(Object), error: null });
    const page = await ctx.as(admin).get('/api/admin/jobs').expect(200);
    expect(page.body.lastRuns[0]).toMatchObject({ trigger: 'admin', error: null });
    const audit = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'jobs.reconciled' AND actor_id = $1`,
      [admin.id],
    );
    expect(audit[0].n).toBe(1);
  });

  it('is for administrators only: a candidate gets 403, and signed out 401', async () => {
    const failed = await failedWelcomeMail();
    const candidate = await ctx.newCandidate();
    await ctx.as(candidate).get('/api/admin/jobs').expect(403);
    await ctx.as(candidate).post(`/api/admin/jobs/${failed.id}/retry`).expect(403);
    await ctx.as(candidate).post('/api/admin/jobs/reconcile').expect(403);
    await ctx.http.get('/api/admin/jobs').expect(401);
    await ctx.http.post(`/api/admin/jobs/${failed.id}/retry`).expect(401);
    const [row] = await ctx.dataSource.query(`SELECT failed_at FROM outbox WHERE id = $1`, [failed.id]);
    expect(row.failed_at).not.toBeNull();
  });

  it('still answers while Redis is down: the outbox and failed jobs, no queue counts, within seconds', async () => {
    // An application of its own on a Redis of its own, so stopping Redis leaves the rest of the run alone.
    const redis = await PrivateRedis.create();
    await redis.start();
    const shared = process.env.REDIS_URL;
    process.env.REDIS_URL = redis.url;
    const isolated = await TestContext.create().finally(() => (process.env.REDIS_URL = shared));
    try {
      const otherAdmin = await isolated.newAdmin();
      const failed = await failedWelcomeMail();
      await isolated.as(otherAdmin).get('/api/admin/jobs').expect(200);
      await redis.stop();

      const started = Date.now();
      const res = await isolated.as(otherAdmin).get('/api/admin/jobs').expect(200);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(res.body).toMatchObject({ redisUp: false, queues: null });
      expect(res.body.failedJobs.map((j: { id: string }) => j.id)).toContain(failed.id);
      await redis.start();
      // BullMQ closes cleanly only with a server to say goodbye to: wait until the queues are connected again.
      await eventually(async () => (await isolated.as(otherAdmin).get('/api/admin/jobs')).body.redisUp, 'the queues to reconnect');
    } finally {
      await redis.start();
      await isolated.close();
      await redis.stop();
    }
  }, 30_000);
});
