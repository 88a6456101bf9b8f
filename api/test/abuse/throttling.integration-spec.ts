import type request from 'supertest';
import { DataSource } from 'typeorm';
import { TooManyRequestsException } from '../../src/common/errors/too-many-requests.exception';
import { BatchedRateLimiter } from '../../src/common/rate-limit/batched-rate-limiter';
import { RateLimiter } from '../../src/common/rate-limit/rate-limiter';
import { APP_CONFIG, type AppConfig, ConfigError, loadConfig } from '../../src/infrastructure/config/app-config';
import { RetentionService } from '../../src/modules/data-rights/retention.service';
import { TestContext, type TestUser } from '../test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let octet = 0;
/** A client address of its own for each scenario (TEST-NET-3), so counters of one test never meet another's. */
const newAddress = () => `203.0.113.${(octet = (octet % 250) + 1)}`;
const deviceCookieOf = (res: request.Response): string | undefined =>
  ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('psf_device='))
    ?.split(';')[0];

describe('ABUSE: throttling (trusted proxies, sign-in delays, device cookies, rate limits, counter expiry)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let saved: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    saved = JSON.stringify({ loginThrottle: config.loginThrottle, rateLimits: config.rateLimits, accounts: config.accounts });
    // As behind one load balancer: the address it appends to X-Forwarded-For is the client's.
    ctx.app.set('trust proxy', 1);
  });

  afterEach(() => {
    // Each test shortens limits on this app only; the next one starts from the settings.
    Object.assign(config, JSON.parse(saved));
  });

  afterAll(async () => {
    await ctx.close();
  });

  const login = (email: string, password: string, from: string, cookie?: string) => {
    const req = ctx.http.post('/api/auth/login').set('X-Forwarded-For', from);
    if (cookie) req.set('Cookie', cookie);
    return req.send({ email, password });
  };

  describe('TRUST_PROXY', () => {
    const env = (TRUST_PROXY: string) => ({ DATABASE_URL: 'postgres://x@localhost/x', JWT_SECRET: 'x'.repeat(32), TRUST_PROXY });

    it('refuses "true" at boot with a message that says what to give instead', () => {
      expect(() => loadConfig(env('true'))).toThrow(ConfigError);
      expect(() => loadConfig(env('true'))).toThrow(
        /TRUST_PROXY: .*number of proxies in front of the API \(e\.g\. 1\) or their addresses\/CIDRs/,
      );
      expect(() => loadConfig(env('10.0.0.0/33'))).toThrow(/TRUST_PROXY: "10.0.0.0\/33" is not an address or CIDR/);
      expect(() => loadConfig(env('balancer.internal'))).toThrow(/TRUST_PROXY/);
    });

    it('takes no proxy, a hop count or a list of addresses and CIDRs', () => {
      expect(loadConfig(env('false')).trustProxy).toBe(false);
      expect(loadConfig(env('0')).trustProxy).toBe(false);
      expect(loadConfig(env('1')).trustProxy).toBe(1);
      expect(loadConfig(env('2')).trustProxy).toBe(2);
      expect(loadConfig(env('10.0.0.0/8, 192.168.1.10,fd00::/8,loopback')).trustProxy).toEqual([
        '10.0.0.0/8',
        '192.168.1.10',
        'fd00::/8',
        'loopback',
      ]);
      expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/x', JWT_SECRET: 'x'.repeat(32) }).trustProxy).toBe(false);
    });

    it('rotating X-Forwarded-For does not escape the per-address limit: the address the trusted proxy added counts', async () => {
      config.loginThrottle.maxFailuresPerIp = 3;
      config.loginThrottle.delayBaseSeconds = 60;
      const client = newAddress();
      const statuses: number[] = [];
      // Made-up addresses in a range no other spec uses (suites share the run's database).
      const forgedFirst = Array.from({ length: 5 }, (_, i) => `100.64.${Math.floor(Math.random() * 250)}.${i + 1}`);
      for (let i = 0; i < 5; i++) {
        // The client makes up a new chain each time; the proxy appends the address it really came from.
        const forged = `${forgedFirst[i]}, 192.0.2.${i + 7}`;
        const res = await login(ctx.uniqueEmail('rotate'), 'wrong-password-rotating', `${forged}, ${client}`);
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const [row] = await ctx.dataSource.query(`SELECT hits FROM rate_limit_counters WHERE key = $1`, [`login:ip:${client}`]);
      expect(row.hits).toBe(3);
      const forgedRows = await ctx.dataSource.query(`SELECT key FROM rate_limit_counters WHERE key = ANY($1)`, [
        [...forgedFirst, ...forgedFirst.map((_, i) => `192.0.2.${i + 7}`)].map((a) => `login:ip:${a}`),
      ]);
      expect(forgedRows).toEqual([]);
    });
  });

  describe('sign-in', () => {
    it("a stranger's failures do not lock the owner out of a known device; the stranger waits (429, Retry-After)", async () => {
      config.loginThrottle.maxFailuresPerAccount = 3;
      config.loginThrottle.delayBaseSeconds = 120;
      const owner = await ctx.newCandidate();
      const home = newAddress();
      const first = await login(owner.email, owner.password, home).expect(200);
      const device = deviceCookieOf(first);
      expect(device).toBeDefined();
      const setCookie = ([] as string[]).concat(first.headers['set-cookie']).find((c) => c.startsWith('psf_device='))!;
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(setCookie).toMatch(/Path=\/api\/auth/);

      const stranger = newAddress();
      for (let i = 0; i < 3; i++) await login(owner.email, `guess-${i}-wrong-password`, stranger).expect(401);
      const refused = await login(owner.email, 'guess-4-wrong-password', stranger).expect(429);
      expect(refused.body).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/try again in \d+ seconds/),
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(100);
      expect(retryAfter).toBeLessThanOrEqual(120);
      // Even the right password from the stranger's side waits: the account's counter is what it is judged on.
      await login(owner.email, owner.password, stranger).expect(429);
      // The owner, without the device cookie (a new browser), waits too ...
      await login(owner.email, owner.password, home).expect(429);
      // ... but from the browser that signed in before, the owner is judged on that device's own failures only.
      const again = await login(owner.email, owner.password, home, device).expect(200);
      expect(again.body.user.id).toBe(owner.id);
      // A device cookie is good for its own account only, and a forged one counts for nothing.
      const [prefix, userId, deviceId] = device!.split('=')[1].split('.');
      await login(owner.email, owner.password, home, `psf_device=${prefix}.${userId}.${deviceId}.forged-signature`).expect(429);
      const other = await ctx.newCandidate();
      const otherDevice = deviceCookieOf(await login(other.email, other.password, home).expect(200));
      await login(owner.email, owner.password, home, otherDevice).expect(429);
    });

    it("a stranger's failures never block the owner's own session; the session's own wrong entries do", async () => {
      config.loginThrottle.maxFailuresPerAccount = 3;
      config.loginThrottle.delayBaseSeconds = 120;
      const owner = await ctx.newCandidate();
      const stranger = newAddress();
      for (let i = 0; i < 3; i++) await login(owner.email, `guess-${i}-wrong-password`, stranger).expect(401);
      await login(owner.email, 'guess-4-wrong-password', stranger).expect(429);
      // Inside the session the owner already has, the stranger's guesses count for nothing.
      const renewed = `${owner.password}-renewed`;
      await ctx.as(owner).put('/api/me/password', { currentPassword: owner.password, newPassword: renewed }).expect(204);
      owner.password = renewed;
      // A borrowed session guessing the current password is limited by its own wrong entries.
      for (let i = 0; i < 3; i++) {
        await ctx
          .as(owner)
          .put('/api/me/password', { currentPassword: `wrong-${i}-current-password`, newPassword: `${renewed}-again` })
          .expect(401);
      }
      const limited = await ctx
        .as(owner)
        .put('/api/me/password', { currentPassword: owner.password, newPassword: `${renewed}-again` })
        .expect(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('a device is throttled on its own failures: guessing from a stolen device cookie is slowed, too', async () => {
      config.loginThrottle.maxFailuresPerAccount = 2;
      config.loginThrottle.delayBaseSeconds = 120;
      const owner = await ctx.newCandidate();
      const from = newAddress();
      const device = deviceCookieOf(await login(owner.email, owner.password, from).expect(200));
      await login(owner.email, 'wrong-from-device-1', from, device).expect(401);
      await login(owner.email, 'wrong-from-device-2', from, device).expect(401);
      const refused = await login(owner.email, owner.password, from, device).expect(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(100);
    });

    it('each failure past the free ones doubles the wait (1 s, 2 s, 4 s)', async () => {
      config.loginThrottle.maxFailuresPerAccount = 2;
      config.loginThrottle.delayBaseSeconds = 1;
      const user: TestUser = await ctx.newCandidate();
      const from = newAddress();
      await login(user.email, 'wrong-password-1', from).expect(401);
      await login(user.email, 'wrong-password-2', from).expect(401);
      const waits: number[] = [];
      for (let i = 3; i <= 5; i++) {
        const refused = await login(user.email, user.password, from).expect(429);
        const wait = Number(refused.headers['retry-after']);
        waits.push(wait);
        await sleep(wait * 1000 + 150);
        await login(user.email, `wrong-password-${i}`, from).expect(401);
      }
      expect(waits).toEqual([1, 2, 4]);
      const last = await login(user.email, user.password, from).expect(429);
      expect(Number(last.headers['retry-after'])).toBe(8);
    }, 30_000);

    it('the wait never exceeds LOGIN_MAX_DELAY_SECONDS', async () => {
      config.loginThrottle.maxFailuresPerAccount = 1;
      config.loginThrottle.delayBaseSeconds = 1;
      config.loginThrottle.maxDelaySeconds = 1;
      const user = await ctx.newCandidate();
      const from = newAddress();
      for (let i = 0; i < 3; i++) {
        await login(user.email, `wrong-${i}-password`, from).expect(401);
        const refused = await login(user.email, user.password, from).expect(429);
        expect(Number(refused.headers['retry-after'])).toBe(1);
        await sleep(1150);
      }
      await login(user.email, user.password, from).expect(200);
    }, 30_000);
  });

  describe('rate limits', () => {
    const expect429 = (res: request.Response) => {
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({
        statusCode: 429,
        error: 'Too Many Requests',
        message: expect.stringMatching(/try again in \d+ seconds/),
      });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    };

    it('registration: REGISTER_MAX_PER_IP_PER_HOUR per client address', async () => {
      config.accounts.registerMaxPerIpPerHour = 2;
      const from = newAddress();
      const register = () =>
        ctx.http
          .post('/api/auth/register')
          .set('X-Forwarded-For', from)
          .send({ email: ctx.uniqueEmail('reg'), password: 'a long enough passphrase 42', fullName: 'Rate Limited' });
      await register().expect(202);
      await register().expect(202);
      expect429(await register());
      // Another address is not affected.
      await ctx.http
        .post('/api/auth/register')
        .set('X-Forwarded-For', newAddress())
        .send({ email: ctx.uniqueEmail('reg'), password: 'a long enough passphrase 42', fullName: 'Other Network' })
        .expect(202);
    });

    it('forgot-password and resend-verification: per address asked about', async () => {
      const email = ctx.uniqueEmail('forgot');
      for (const path of ['/api/auth/forgot-password', '/api/auth/resend-verification']) {
        for (let i = 0; i < 3; i++) await ctx.http.post(path).set('X-Forwarded-For', newAddress()).send({ email }).expect(202);
        expect429(await ctx.http.post(path).set('X-Forwarded-For', newAddress()).send({ email }));
      }
    });

    it('reset-password: RATE_LIMIT_RESET_PASSWORD_PER_HOUR per client address', async () => {
      config.rateLimits.resetPassword.max = 2;
      const from = newAddress();
      const reset = () =>
        ctx.http
          .post('/api/auth/reset-password')
          .set('X-Forwarded-For', from)
          .send({ token: 'not-a-real-token', password: 'a new long passphrase 42' });
      await reset().expect(400);
      await reset().expect(400);
      expect429(await reset());
    });

    it('public verification, credentials, status lists and the JWK Set: RATE_LIMIT_PUBLIC_PER_MINUTE per client address', async () => {
      config.rateLimits.public.max = 2;
      for (const url of [
        '/api/public/certificates/PSF-NOPE-0000',
        '/api/public/certificates/PSF-NOPE-0000/credential',
        '/api/public/status-lists/1',
        '/.well-known/jwks.json',
      ]) {
        const from = newAddress();
        const statuses: number[] = [];
        for (let i = 0; i < 2; i++) statuses.push((await ctx.http.get(url).set('X-Forwarded-For', from)).status);
        expect(statuses.every((s) => s !== 429)).toBe(true);
        expect429(await ctx.http.get(url).set('X-Forwarded-For', from));
        // Someone else is still served.
        expect((await ctx.http.get(url).set('X-Forwarded-For', newAddress())).status).not.toBe(429);
      }
    });

    it('the public limit is counted in memory and shared through PostgreSQL: two replicas see each other within a flush', async () => {
      const other = new DataSource(ctx.dataSource.options);
      await other.initialize();
      try {
        const [a, b] = [BatchedRateLimiter.of(ctx.dataSource), BatchedRateLimiter.of(other)];
        const key = `public:test:ip:${newAddress()}`;
        const verdicts = [];
        for (const limiter of [a, a, a, b, b, b]) verdicts.push(await limiter.check(key, 7, 60, 'test requests'));
        expect(verdicts.every((v) => v === null)).toBe(true);
        await sleep(500); // both have written what they counted, and read back each other's hits
        const [{ hits }] = await ctx.dataSource.query(`SELECT hits FROM rate_limit_counters WHERE key = $1`, [key]);
        expect(hits).toBe(6);
        expect(await a.check(key, 7, 60, 'test requests')).toBeNull(); // the 7th
        await sleep(500); // b learns of it at its next write (its own hits are what make it write)
        expect(await b.check(key, 7, 60, 'test requests')).toBeNull(); // b's view: 6 + 1
        await sleep(500);
        const refusal = await b.check(key, 7, 60, 'test requests'); // now 8 + 1, seen by b after its write
        expect(refusal).toBeInstanceOf(TooManyRequestsException);
        expect(refusal!.message).toMatch(/^Too many test requests; try again in \d+ seconds$/);
      } finally {
        await other.destroy();
      }
    });

    it('the limits are documented in the OpenAPI document', async () => {
      const doc = (await ctx.http.get('/api/docs-json').expect(200)).body;
      const limited: Array<[string, string]> = [
        ['/api/public/certificates/{number}', 'get'],
        ['/api/public/certificates/{number}/credential', 'get'],
        ['/api/public/status-lists/{listId}', 'get'],
        ['/.well-known/jwks.json', 'get'],
        ['/api/auth/reset-password', 'post'],
        ['/api/auth/register', 'post'],
        ['/api/auth/forgot-password', 'post'],
        ['/api/auth/resend-verification', 'post'],
        ['/api/auth/login', 'post'],
        ['/api/portfolios/{credential}/evidence/{criterion}/attachments', 'post'],
      ];
      for (const [path, method] of limited)
        expect([path, doc.paths[path]?.[method]?.responses?.['429']]).toEqual([path, expect.anything()]);
    });
  });

  describe('counters expire', () => {
    it('each counter knows when its window ends, and the retention sweep deletes it after that', async () => {
      config.rateLimits.public.windowSeconds = 1;
      const from = newAddress();
      await ctx.http.get('/.well-known/jwks.json').set('X-Forwarded-For', from).expect(200);
      const key = `public:jwks:ip:${from}`;
      const [row] = await ctx.dataSource.query(`SELECT window_started_at, expires_at FROM rate_limit_counters WHERE key = $1`, [key]);
      expect(new Date(row.expires_at).getTime() - new Date(row.window_started_at).getTime()).toBe(1000);
      // A counter whose window is still running stays.
      await ctx.app.get(RateLimiter).hit('test:still-counting', 3600);

      await sleep(1200);
      await ctx.app.get(RetentionService).apply();
      expect(await ctx.dataSource.query(`SELECT 1 FROM rate_limit_counters WHERE key = $1`, [key])).toHaveLength(0);
      expect(await ctx.dataSource.query(`SELECT 1 FROM rate_limit_counters WHERE key = 'test:still-counting'`)).toHaveLength(1);
    });
  });
});
