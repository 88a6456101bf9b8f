import { type Job, Worker } from 'bullmq';
import type request from 'supertest';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobRecovery } from '../../infrastructure/queue/job-recovery';
import { QueueName } from '../../infrastructure/queue/job-names';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { redisOptions } from '../../infrastructure/queue/redis-connection';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';

const BOARD = '/admin/queues';

describe('queue board at /admin/queues (Bull Board for administrators, issue #16)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let admin: TestUser;

  beforeAll(async () => {
    // Queues of this suite's own (under the run's prefix, so the run's teardown removes them): its throwing
    // worker must take no other suite's jobs.
    const shared = process.env.REDIS_PREFIX;
    process.env.REDIS_PREFIX = `${shared}:queue-board`;
    ctx = await TestContext.create().finally(() => (process.env.REDIS_PREFIX = shared));
    config = ctx.app.get(APP_CONFIG);
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  const cookieOf = (res: request.Response): string => {
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('psf_queue_board='));
    if (!cookie) throw new Error('no queue board cookie was set');
    return cookie;
  };

  /** What the SPA's button does: ask for the pass (the session proved a second factor at sign-in). */
  async function openBoard(user: TestUser): Promise<string> {
    const res = await ctx.as(user).post('/api/admin/queues/session').expect(204);
    return cookieOf(res).split(';')[0];
  }

  const board = (cookie: string) => ({
    get: (path: string) => ctx.http.get(`${BOARD}${path}`).set('Cookie', cookie),
    put: (path: string) => ctx.http.put(`${BOARD}${path}`).set('Cookie', cookie),
    patch: (path: string, body: object) => ctx.http.patch(`${BOARD}${path}`).set('Cookie', cookie).send(body),
    post: (path: string, body: object) => ctx.http.post(`${BOARD}${path}`).set('Cookie', cookie).send(body),
  });

  /**
   * A real account's welcome mail that failed in Redis for good. The relay's publication is done by hand
   * with one attempt, and a worker whose mail server refuses runs it: that is the fault this suite injects
   * (no real flow fails a job on demand). The failure is recorded on the row as the platform's worker does.
   */
  async function failedWelcomeMail(): Promise<string> {
    const person = await ctx.newCandidate();
    const [row] = await ctx.dataSource.query(
      `SELECT id, payload FROM outbox WHERE job_name = 'send-welcome-email' AND payload->>'userId' = $1`,
      [person.id],
    );
    await ctx.dataSource.query(`UPDATE outbox SET published_at = now() WHERE id = $1`, [row.id]);
    const queue = ctx.app.get(QueueRegistry).get(QueueName.Notifications);
    await queue.add('send-welcome-email', row.payload, { jobId: row.id, attempts: 1 });
    const failing = new Worker(
      QueueName.Notifications,
      async () => {
        throw new Error('SMTP refused the message');
      },
      { prefix: config.redisPrefix, connection: redisOptions(config.redisUrl, { maxRetriesPerRequest: null }) },
    );
    try {
      await eventually(async () => (await queue.getJobState(row.id)) === 'failed', 'the job to fail');
    } finally {
      await failing.close();
    }
    await ctx.app.get(JobRecovery).recordFailure(row.id, 'SMTP refused the message');
    return row.id as string;
  }

  const stateOf = (id: string) => ctx.app.get(QueueRegistry).get(QueueName.Notifications).getJobState(id);

  it('gives the pass to an administrator who stepped up: a short-lived HttpOnly, SameSite=Strict cookie for /admin/queues; audited', async () => {
    const res = await ctx.as(admin).post('/api/admin/queues/session').expect(204);
    const cookie = cookieOf(res);
    expect(cookie).toMatch(/; Path=\/admin\/queues(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]);
    const me = await ctx.as(admin).get('/api/me').expect(200);
    expect(expires).toBeGreaterThan(Date.now());
    expect(expires).toBeLessThanOrEqual(Date.parse(me.body.secondFactor.stepUpUntil));
    const audit = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'queue_board.opened' AND actor_id = $1`,
      [admin.id],
    );
    expect(audit[0].n).toBeGreaterThanOrEqual(1);
  });

  it('refuses the pass to a candidate (403), to nobody signed in (401) and to an administrator without a recent step-up (403 step_up_required)', async () => {
    const candidate = await ctx.newCandidate();
    const refused = await ctx.as(candidate).post('/api/admin/queues/session').expect(403);
    expect(refused.headers['set-cookie']).toBeUndefined();
    await ctx.http.post('/api/admin/queues/session').expect(401);

    // An administrator whose session never proved a second factor: made admin, then enrolled TOTP in that session.
    const fresh = await ctx.newCandidate();
    await ctx
      .as(admin)
      .put(`/api/admin/users/${fresh.id}/roles`, { roles: ['admin'] })
      .expect(200);
    await ctx.enrolTotp(fresh);
    const stepUp = await ctx.as(fresh).post('/api/admin/queues/session').expect(403);
    expect(stepUp.body).toMatchObject({ statusCode: 403, reason: 'step_up_required' });
    expect(stepUp.headers['set-cookie']).toBeUndefined();
    await ctx
      .as(fresh)
      .post('/api/me/step-up', { otp: await ctx.otp(fresh) })
      .expect(204);
    await ctx.as(fresh).post('/api/admin/queues/session').expect(204);
  });

  it('serves the board page with the pass, under the platform CSP, and answers 401 with a pointer to the Jobs page without one', async () => {
    const cookie = await openBoard(admin);
    const page = await board(cookie).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<base href="/admin/queues/"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-powered-by']).toBeUndefined();
    await board(cookie).get('/queue/notifications').expect(200);

    for (const refused of [
      ctx.http.get(BOARD),
      ctx.http.get(`${BOARD}/queue/notifications`),
      ctx.http.get(`${BOARD}/`).set('Cookie', `${cookie.slice(0, -2)}xx`),
      // A bearer token is not a pass: a page load cannot carry one, so the board does not look for it.
      ctx.as(admin).get(BOARD),
    ]) {
      const res = await refused.expect(401);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain('href="/admin/jobs"');
    }
    const api = await ctx.http.get(`${BOARD}/api/queues`).expect(401);
    expect(api.body).toEqual({ error: { key: expect.any(String) }, message: expect.any(String) });
  });

  it("lists every one of the platform's queues through the board's JSON API", async () => {
    const cookie = await openBoard(admin);
    const res = await board(cookie).get('/api/queues').expect(200);
    const names = (res.body.queues as Array<{ name: string }>).map((q) => q.name).sort();
    expect(names).toEqual(Object.values(QueueName).sort());
  });

  it('retries a failed job through the board: it runs again, its row no longer counts as failed, and the retry is audited', async () => {
    const jobId = await failedWelcomeMail();
    const cookie = await openBoard(admin);
    const failedList = await board(cookie).get('/api/queues?activeQueue=notifications&status=failed').expect(200);
    const notifications = failedList.body.queues.find((q: { name: string }) => q.name === 'notifications');
    expect(notifications.jobs.map((j: { id: string }) => j.id)).toContain(jobId);

    await board(cookie).put(`/api/queues/notifications/${jobId}/retry`).expect(204);
    expect(await stateOf(jobId)).toBe('waiting');
    const [row] = await ctx.dataSource.query(`SELECT failed_at FROM outbox WHERE id = $1`, [jobId]);
    expect(row.failed_at).toBeNull();
    const audit = await ctx.dataSource.query(`SELECT actor_id, data FROM audit_log WHERE action = 'job.retried' AND subject_id = $1`, [
      jobId,
    ]);
    expect(audit).toEqual([{ actor_id: admin.id, data: { queue: 'notifications', jobName: 'send-welcome-email', via: 'queue_board' } }]);

    // Not failed any more: a second click changes nothing.
    const again = await board(cookie).put(`/api/queues/notifications/${jobId}/retry`).expect(409);
    expect(again.body).toEqual({ error: { key: expect.any(String) }, message: expect.stringContaining('failed') });
  });

  it('"retry all" of the failed list retries each failed job, with an audit entry for each', async () => {
    const [first, second] = [await failedWelcomeMail(), await failedWelcomeMail()];
    const cookie = await openBoard(admin);
    const res = await board(cookie).put('/api/queues/notifications/retry/failed').expect(200);
    expect(res.body).toEqual({ retried: expect.any(Number), skipped: 0 });
    expect(res.body.retried).toBeGreaterThanOrEqual(2);
    expect([await stateOf(first), await stateOf(second)]).toEqual(['waiting', 'waiting']);
    const audit = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'job.retried' AND subject_id = ANY($1)`,
      [[first, second]],
    );
    expect(audit[0].n).toBe(2);
  });

  it('refuses every destructive action (clean, empty, remove, pause, promote, edit, add, retry of completed jobs) with 403', async () => {
    const jobId = await failedWelcomeMail();
    const cookie = await openBoard(admin);
    const refusals: request.Test[] = [
      board(cookie).put('/api/queues/notifications/clean/failed'),
      board(cookie).put('/api/queues/notifications/empty'),
      board(cookie).put('/api/queues/notifications/obliterate'),
      board(cookie).put('/api/queues/notifications/pause'),
      board(cookie).put('/api/queues/pause'),
      board(cookie).put('/api/queues/notifications/promote'),
      board(cookie).put(`/api/queues/notifications/${jobId}/clean`),
      board(cookie).patch(`/api/queues/notifications/${jobId}/update-data`, { jobData: { userId: 'someone-else' } }),
      board(cookie).post('/api/queues/notifications/add', { name: 'send-welcome-email', data: {} }),
      board(cookie).put('/api/queues/notifications/retry/completed'),
    ];
    for (const refused of refusals) {
      const res = await refused.expect(403);
      expect(res.body).toEqual({ error: { key: 'ERRORS.FORBIDDEN' }, message: expect.stringContaining('Only') });
    }
    expect(await stateOf(jobId)).toBe('failed');
    const job = (await ctx.app.get(QueueRegistry).get(QueueName.Notifications).getJob(jobId)) as Job;
    expect(job.data).not.toHaveProperty('userId', 'someone-else');
    const paused = await board(cookie).get('/api/queues').expect(200);
    expect(paused.body.queues.every((q: { isPaused: boolean }) => !q.isPaused)).toBe(true);
  });

  it('ends with the session: after sign-out the pass is refused (401), and a demoted administrator is refused (403)', async () => {
    const other = await ctx.newAdmin();
    const cookie = await openBoard(other);
    await board(cookie).get('/').expect(200);
    await ctx.http.post('/api/auth/logout').set('Cookie', other.refreshCookie).expect(204);
    const res = await board(cookie).get('/').expect(401);
    expect(res.text).toContain('has ended');
    await board(cookie).get('/api/queues').expect(401);

    const demoted = await ctx.newAdmin();
    const demotedCookie = await openBoard(demoted);
    await ctx
      .as(admin)
      .put(`/api/admin/users/${demoted.id}/roles`, { roles: ['candidate'] })
      .expect(200);
    await board(demotedCookie).get('/').expect(403);
    const jobId = await failedWelcomeMail();
    await board(demotedCookie).put(`/api/queues/notifications/${jobId}/retry`).expect(403);
    expect(await stateOf(jobId)).toBe('failed');
  });
});
