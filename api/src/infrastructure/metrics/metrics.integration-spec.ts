import * as path from 'node:path';
import { TestContext } from '../../../test/test-app';
import { BankSyncService } from '../../modules/question-bank/bank-sync.service';
import { QueueName } from '../queue/job-names';
import { sample } from '../../../test/prometheus-sample';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');
const TOKEN = 'metrics-test-token-0123456789abcdef';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const SAVE_ROUTE = '/api/exams/aida/attempts/:attemptId/answers/:questionId';

/** Builds the app with these environment settings, then puts the environment back as it was. */
async function appWith(env: Record<string, string | undefined>): Promise<TestContext> {
  const previous = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(env);
  try {
    return await TestContext.create();
  } finally {
    apply(previous);
  }
}

describe('Prometheus metrics at /metrics (real PostgreSQL and Redis)', () => {
  describe('with METRICS_TOKEN set', () => {
    let ctx: TestContext;
    const scrape = () => ctx.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);

    beforeAll(async () => {
      ctx = await appWith({ METRICS_TOKEN: TOKEN });
      await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    }, 60_000);
    afterAll(() => ctx.close());

    it('counts the answers a replica gives from memory (the shared response cache) under their route template', async () => {
      const before =
        sample((await scrape()).text, 'psf_http_requests_total', { method: 'GET', route: '/api/framework', status: '200' }) ?? 0;
      await ctx.http.get('/api/framework').expect(200);
      const fromMemory = await ctx.http.get('/api/framework').expect(200);
      expect(fromMemory.headers.age).toMatch(/^\d+$/);
      await ctx.http.get('/api/framework').set('If-None-Match', fromMemory.headers.etag).expect(304);
      const body = (await scrape()).text;
      expect(sample(body, 'psf_http_requests_total', { method: 'GET', route: '/api/framework', status: '200' })).toBe(before + 2);
      expect(sample(body, 'psf_http_requests_total', { method: 'GET', route: '/api/framework', status: '304' })).toBeGreaterThanOrEqual(1);
    });

    it('shows exam, HTTP, queue, outbox, pool and event-loop series after a candidate starts and saves; no id in a label', async () => {
      const candidate = await ctx.newCandidate();
      const attempt = (await ctx.as(candidate).post('/api/exams/aida/attempts').expect(201)).body;
      for (const q of attempt.questions.slice(0, 2)) {
        await ctx.as(candidate).put(`/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { optionId: q.options[0].id }).expect(200);
      }
      await ctx.http.get('/api/me').expect(401); // refused by the global guard
      await ctx.http.get(`/api/no-such-route/${attempt.id}`).expect(404);

      const res = await scrape();
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.text;

      expect(sample(body, 'psf_exam_attempts_started_total')).toBeGreaterThanOrEqual(1);
      expect(sample(body, 'psf_exam_answers_saved_total')).toBeGreaterThanOrEqual(2);

      expect(sample(body, 'psf_http_requests_total', { method: 'PUT', route: SAVE_ROUTE, status: '200' })).toBeGreaterThanOrEqual(2);
      expect(
        sample(body, 'psf_http_requests_total', { method: 'POST', route: '/api/exams/aida/attempts', status: '201' }),
      ).toBeGreaterThanOrEqual(1);
      expect(sample(body, 'psf_http_requests_total', { method: 'GET', route: '/api/me', status: '401' })).toBeGreaterThanOrEqual(1);
      expect(sample(body, 'psf_http_requests_total', { method: 'GET', route: '(unmatched)', status: '404' })).toBeGreaterThanOrEqual(1);
      expect(
        sample(body, 'psf_http_request_duration_seconds_bucket', { method: 'PUT', route: SAVE_ROUTE, status_class: '2xx', le: '+Inf' }),
      ).toBeGreaterThanOrEqual(2);
      expect(body).toMatch(new RegExp(`^psf_http_request_duration_seconds_bucket\\{[^}]*route="/api/exams/aida/attempts/:attemptId`, 'm'));
      // Route templates only: neither the attempt's nor a question's id becomes a label (one series per id would sink Prometheus).
      expect(body).not.toMatch(UUID);

      for (const queue of Object.values(QueueName)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
          expect(sample(body, 'psf_queue_jobs', { queue, state })).toBeGreaterThanOrEqual(0);
        }
        expect(sample(body, 'psf_queue_oldest_waiting_age_seconds', { queue })).toBeGreaterThanOrEqual(0);
      }
      expect(sample(body, 'psf_outbox_open_rows')).toBeGreaterThanOrEqual(0);
      expect(sample(body, 'psf_outbox_oldest_open_age_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(body, 'psf_outbox_failed_rows')).toBeGreaterThanOrEqual(0);

      const total = sample(body, 'psf_db_pool_connections', { state: 'total' });
      expect(total).toBeGreaterThanOrEqual(1);
      expect(sample(body, 'psf_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total!);
      expect(sample(body, 'psf_db_pool_connections', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
      expect(sample(body, 'psf_db_pool_max_connections')).toBeGreaterThanOrEqual(total!);

      expect(sample(body, 'psf_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(body, 'psf_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sample(body, 'psf_metrics_collect_errors_total', { source: 'queues' })).toBeUndefined();
    });

    it('counts the outbox backlog that is due: a row written for now is open until its job completes', async () => {
      const before = sample((await scrape()).text, 'psf_outbox_open_rows')!;
      const [row] = await ctx.dataSource.query(
        `INSERT INTO outbox (queue, job_name, payload, run_at, created_at)
         VALUES ('accounts', 'send-account-notice', '{}', now() - interval '90 seconds', now() - interval '90 seconds') RETURNING id`,
      );
      try {
        const body = (await scrape()).text;
        expect(sample(body, 'psf_outbox_open_rows')).toBeGreaterThanOrEqual(before + 1);
        expect(sample(body, 'psf_outbox_oldest_open_age_seconds')).toBeGreaterThanOrEqual(90);
      } finally {
        await ctx.dataSource.query(`UPDATE outbox SET completed_at = now() WHERE id = $1`, [row.id]);
      }
    });

    it('answers 401 in the error shape without the token or with a wrong one, and stays out of the OpenAPI document', async () => {
      const missing = await ctx.http.get('/metrics').expect(401);
      expect(missing.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(missing.text).not.toContain('psf_');
      await ctx.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401);
      await ctx.http.get('/metrics').set('Authorization', `Basic ${TOKEN}`).expect(401);
      await ctx.http.get('/metrics').set('Authorization', TOKEN).expect(401);
      await ctx.http.get('/api/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
      const doc = (await ctx.http.get('/api/docs-json').expect(200)).body;
      expect(Object.keys(doc.paths).filter((p) => p.includes('metrics'))).toEqual([]);
    });
  });

  describe('without METRICS_TOKEN', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await appWith({ METRICS_TOKEN: undefined });
    });
    afterAll(() => ctx.close());

    it('answers 404 as for an unknown path, token or not', async () => {
      const res = await ctx.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(404);
      expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /metrics' });
      await ctx.http.get('/metrics').expect(404);
    });
  });

  describe('while Redis cannot be reached', () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await appWith({ METRICS_TOKEN: TOKEN, REDIS_URL: 'redis://127.0.0.1:1' });
    });
    afterAll(() => ctx.close());

    it('still answers, leaving the queue series out and counting the failed read', async () => {
      const first = (await ctx.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
      expect(sample(first, 'psf_queue_jobs')).toBeUndefined();
      expect(sample(first, 'psf_queue_oldest_waiting_age_seconds')).toBeUndefined();
      expect(sample(first, 'psf_outbox_open_rows')).toBeGreaterThanOrEqual(0);
      // The error counter is written out while the reads run: the next scrape shows the failure.
      const second = (await ctx.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
      expect(sample(second, 'psf_metrics_collect_errors_total', { source: 'queues' })).toBeGreaterThanOrEqual(1);
    });
  });
});
