import { Client } from 'pg';
import { OwnDatabase } from '../../../test/own-database';
import { refreshCookieOf, TestContext, type TestUser } from '../../../test/test-app';
import { APP_ROLE } from '../../../test/app-role';

const UNAVAILABLE = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The service is briefly unavailable; your work is safe. Try again in a few seconds.',
  retryAfter: 5,
};

/**
 * A real outage of PostgreSQL as the API sees it: its connections are cut and new ones refused. The
 * suite has a database of its own, so that cutting it off leaves the rest of the run alone.
 */
describe('a database outage answers 503 with Retry-After and signs no one out (real PostgreSQL)', () => {
  let own: OwnDatabase;
  let ctx: TestContext;
  let owner: Client;
  let database: string;
  let candidate: TestUser;

  beforeAll(async () => {
    own = await OwnDatabase.use('outage');
    // Every request checks its session in PostgreSQL here: this suite is about what that check answers in an
    // outage (a remembered check, SESSION_CHECK_CACHE_SECONDS, would answer /api/me without asking).
    process.env.SESSION_CHECK_CACHE_SECONDS = '0';
    ctx = await TestContext.create();
    owner = new Client({ connectionString: process.env.DATABASE_OWNER_URL });
    await owner.connect();
    [{ database }] = await ctx.dataSource.query('SELECT current_database() AS database');
    candidate = await ctx.newCandidate();
  }, 60_000);

  afterAll(async () => {
    await restore();
    await owner.end();
    await ctx.close();
    delete process.env.SESSION_CHECK_CACHE_SECONDS;
    await own.release();
  });

  // Fault injection, the subject of this suite: the owner (a superuser, whom the limit does not bind) lets
  // no new connection of the application role in and ends the ones it has, as a failover or a database
  // restart does to a running API.
  async function cutOff(): Promise<void> {
    await owner.query(`ALTER DATABASE ${database} CONNECTION LIMIT 0`);
    await owner.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND usename = $2`, [database, APP_ROLE]);
  }

  async function restore(): Promise<void> {
    await owner.query(`ALTER DATABASE ${database} CONNECTION LIMIT -1`);
  }

  const refresh = (cookie: string) => ctx.http.post('/api/auth/refresh').set('Cookie', cookie);

  it('is not ready while a migration of this codebase is not recorded as applied, and ready once it is', async () => {
    // Fault injection: the newest migration's record is taken away, as if this codebase were newer than the schema.
    const {
      rows: [removed],
    } = await owner.query(`DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations) RETURNING id, timestamp, name`);
    try {
      const notReady = await ctx.http.get('/api/health/ready').expect(503);
      expect(notReady.body).toEqual({ status: 'unavailable', database: 'up', migrations: 'pending' });
      const summary = await ctx.http.get('/api/health').expect(200);
      expect(summary.body).toMatchObject({ status: 'degraded', database: 'up', migrations: 'pending' });
    } finally {
      await owner.query(`INSERT INTO schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [
        removed.id,
        removed.timestamp,
        removed.name,
      ]);
    }
    const ready = await ctx.http.get('/api/health/ready').expect(200);
    expect(ready.body).toEqual({ status: 'ok', database: 'up', migrations: 'applied' });
  });

  it('answers 503 with Retry-After while the database is unreachable, never 401, and the same session works once it is back', async () => {
    await ctx.as(candidate).get('/api/me').expect(200);
    await cutOff();
    try {
      for (const res of [await ctx.as(candidate).get('/api/me'), await ctx.as(candidate).get('/api/me/sessions')]) {
        expect(res.status).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.body).toEqual(UNAVAILABLE);
      }

      // A refresh that cannot be checked keeps the browser's cookie: the session is not over.
      const refused = await refresh(candidate.refreshCookie).expect(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.headers['set-cookie']).toBeUndefined();

      // Signing in and the rate-limited public routes (their counters are in PostgreSQL) answer the same.
      const login = await ctx.http.post('/api/auth/login').send({ email: candidate.email, password: candidate.password }).expect(503);
      expect(login.body).toEqual(UNAVAILABLE);
      await ctx.http.get('/api/public/certificates/PSF-0000-0000').expect(503);

      // The orchestrator's view: alive (do not restart it), not ready (send it no traffic).
      await ctx.http.get('/api/health/live').expect(200, { status: 'ok' });
      const ready = await ctx.http.get('/api/health/ready').expect(503);
      expect(ready.body).toEqual({ status: 'unavailable', database: 'down', migrations: 'applied' });
      const summary = await ctx.http.get('/api/health').expect(503);
      expect(summary.body).toMatchObject({ status: 'degraded', database: 'down' });
    } finally {
      await restore();
    }

    await ctx.as(candidate).get('/api/me').expect(200);
    const renewed = await refresh(candidate.refreshCookie).expect(200);
    expect(refreshCookieOf(renewed)).not.toBe(candidate.refreshCookie);
    await ctx.http.get('/api/health/ready').expect(200);
  });

  it('still answers 401 for a token that is not valid, outage or not', async () => {
    await ctx.http.get('/api/me').set('Authorization', 'Bearer not-a-token').expect(401);
    await cutOff();
    try {
      await ctx.http.get('/api/me').set('Authorization', 'Bearer not-a-token').expect(401);
      await ctx.http.get('/api/me').expect(401);
    } finally {
      await restore();
    }
  });
});
