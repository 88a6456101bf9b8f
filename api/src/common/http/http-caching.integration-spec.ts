import { decodeJwt } from 'jose';
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { issueCertificateOn } from '../../../test/issued-certificate';
import { TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { SigningKeys, storedKid } from '../../infrastructure/signing/signing-keys';
import { QuestionBankService } from '../../modules/question-bank/question-bank.service';

const STRONG_ETAG = /^"[A-Za-z0-9_-]{22}"$/;

describe('public, cacheable endpoints answer with an ETag and Cache-Control, and 304 to a matching If-None-Match', () => {
  let ctx: TestContext;
  let admin: TestUser;

  const issueCertificate = () => issueCertificateOn(ctx);

  /** The first answer, then a conditional request with its ETag: a 304 without a body that repeats the validators. */
  async function expectRevalidates(url: string, cacheControl: RegExp) {
    const first = await ctx.http.get(url).expect(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(STRONG_ETAG);
    expect(first.headers['cache-control']).toMatch(cacheControl);
    const again = await ctx.http.get(url).set('If-None-Match', etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toMatch(cacheControl);
    // Another validator, or a client that insists on a fresh copy, gets the body.
    await ctx.http.get(url).set('If-None-Match', '"something-else"').expect(200);
    await ctx.http.get(url).set('If-None-Match', etag).set('Cache-Control', 'no-cache').expect(200);
    return first;
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
  }, 60_000);
  afterAll(() => ctx.close());

  it('the framework: the same body as before, cacheable for five minutes, one ETag for the whole process', async () => {
    const first = await expectRevalidates('/api/framework', /^public, max-age=300$/);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(first.text).toBe(JSON.stringify(ctx.app.get(QuestionBankService).frameworkSummary()));
    expect(first.body.domains).toHaveLength(8);
    expect((await ctx.http.get('/api/framework').expect(200)).headers.etag).toBe(first.headers.etag);
  });

  it('the JWK Set: cacheable for 60 s at most; a new key changes its ETag and a stale copy gets the new set', async () => {
    const before = await expectRevalidates('/.well-known/jwks.json', /^public, max-age=60$/);
    expect(before.headers['content-type']).toBe('application/json; charset=utf-8');
    const kid = await ctx.app.get(SigningKeys).rotate();
    const after = await ctx.http.get('/.well-known/jwks.json').set('If-None-Match', before.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect((after.body as { keys: Array<{ kid: string }> }).keys.map((k) => storedKid(k.kid))).toContain(kid);
  });

  it("a certificate's public record: revalidated on every use, so a revocation shows at once with a new ETag", async () => {
    const { number } = await issueCertificate();
    const url = `/api/public/certificates/${number}`;
    const before = await expectRevalidates(url, /^public, no-cache$/);
    expect(before.body).toMatchObject({ number, status: 'active' });

    await ctx.as(admin).post(`/api/admin/certificates/${number}/revoke`, { reason: 'HTTP caching test' }).expect(200);
    const after = await ctx.http.get(url).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.body).toMatchObject({ number, status: 'revoked' });
    expect(after.headers.etag).toMatch(STRONG_ETAG);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    await ctx.http.get(url).set('If-None-Match', after.headers.etag).expect(304);
  });

  it('an unknown certificate is a 404 no cache keeps', async () => {
    const res = await ctx.http.get('/api/public/certificates/PSF-00000-00000-0').expect(404);
    expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
  });

  it('a status list: max-age as before (≤ 60 s, never past validUntil); a revocation serves a new list with a new ETag', async () => {
    const { number, status } = await issueCertificate();
    const url = new URL(status.statusListCredential).pathname;
    const before = await expectRevalidates(url, /^public, max-age=\d+$/);
    expect(before.headers['content-type']).toBe('application/vc+jwt; charset=utf-8');
    const maxAge = Number(/max-age=(\d+)/.exec(before.headers['cache-control'] as string)![1]);
    expect(maxAge).toBeLessThanOrEqual(60);
    expect(Date.now() + maxAge * 1000).toBeLessThanOrEqual(decodeJwt(before.text).exp! * 1000);

    // Answered from memory until the revocation, which forgets the stored list.
    expect((await ctx.http.get(url).expect(200)).headers.age).toBeDefined();
    await ctx.as(admin).post(`/api/admin/certificates/${number}/revoke`, { reason: 'HTTP caching test' }).expect(200);
    const after = await ctx.http.get(url).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const subject = decodeJwt(after.text).credentialSubject as { encodedList: string };
    // A gzip stream's base64url starts "H4sI"; a multibase prefix "u", where present, goes first.
    const bits = gunzipSync(Buffer.from(subject.encodedList.replace(/^u/, ''), 'base64url'));
    const index = Number(status.statusListIndex);
    expect(bits[index >> 3] & (0x80 >> (index % 8))).not.toBe(0);
  });

  it('a conditional request still counts against the public rate limit: 429, never a 304, beyond it', async () => {
    const config = ctx.app.get<AppConfig>(APP_CONFIG);
    const limit = config.rateLimits.public;
    const { headers } = await ctx.http.get('/.well-known/jwks.json').expect(200);
    config.rateLimits.public = { ...limit, max: 0 };
    try {
      const res = await ctx.http.get('/.well-known/jwks.json').set('If-None-Match', headers.etag).expect(429);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.headers.etag).not.toBe(headers.etag);
      expect(res.headers['cache-control'] ?? '').not.toMatch(/public/);
    } finally {
      config.rateLimits.public = limit;
    }
  });
});

describe('a replica answers the framework, the JWK Set and status lists from memory (shared response cache)', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  }, 60_000);
  afterAll(() => ctx.close());

  it('a stored answer: the same body, validators and security headers as the pipeline gave, plus Age and its own request id', async () => {
    const first = await ctx.http.get('/api/framework').set('X-Request-Id', 'shared-cache-first').expect(200);
    const stored = await ctx.http.get('/api/framework').set('X-Request-Id', 'shared-cache-second').expect(200);
    expect(first.headers.age).toBeUndefined();
    expect(stored.headers.age).toMatch(/^\d+$/);
    expect(stored.text).toBe(first.text);
    for (const header of [
      'etag',
      'cache-control',
      'content-type',
      'content-length',
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
    ])
      expect([header, stored.headers[header]]).toEqual([header, first.headers[header]]);
    expect(stored.headers['x-request-id']).toBe('shared-cache-second');
    expect(stored.headers['set-cookie']).toBeUndefined();

    const notModified = await ctx.http.get('/api/framework').set('If-None-Match', `"other", W/${first.headers.etag}`).expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(first.headers.etag);
    expect(notModified.headers.age).toMatch(/^\d+$/);
    expect(notModified.headers['content-type']).toBeUndefined();
    await ctx.http.get('/api/framework').set('If-None-Match', first.headers.etag).set('Cache-Control', 'no-cache').expect(200);
  });

  it("keeps idle connections HTTP_KEEP_ALIVE_SECONDS (65 s): longer than a load balancer's idle timeout and a pause between saves", () => {
    const server = ctx.app.getHttpServer() as Server;
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBe(66_000);
  });

  it('never for a request with credentials or a query string, nor for a route that did not allow it', async () => {
    await ctx.http.get('/api/framework').expect(200);
    const withToken = await ctx.http.get('/api/framework').set('Authorization', 'Bearer not-a-token').expect(200);
    expect(withToken.headers.age).toBeUndefined();
    await ctx.http.get('/api/framework?lang=en').expect(200);
    expect((await ctx.http.get('/api/framework?lang=en').expect(200)).headers.age).toBeUndefined();
    // A certificate's public record is revalidated on every use (no-cache): never answered from memory.
    await ctx.http.get('/api/public/certificates/PSF-00000-00000-0').expect(404);
    expect((await ctx.http.get('/api/public/certificates/PSF-00000-00000-0').expect(404)).headers.age).toBeUndefined();
  });

  it('a new signing key on this replica is served at once: the stored JWK Set is forgotten', async () => {
    await ctx.http.get('/.well-known/jwks.json').expect(200);
    const stored = await ctx.http.get('/.well-known/jwks.json').expect(200);
    expect(stored.headers.age).toBeDefined();
    const kid = await ctx.app.get(SigningKeys).rotate();
    const after = await ctx.http.get('/.well-known/jwks.json').expect(200);
    expect(after.headers.age).toBeUndefined();
    expect((after.body as { keys: Array<{ kid: string }> }).keys.map((k) => storedKid(k.kid))).toContain(kid);
  });

  it('an answer from memory still counts against the public rate limit (written to the shared counter within a second)', async () => {
    const written = () => new Promise((resolve) => setTimeout(resolve, 1000));
    const counter = async () =>
      Number(
        (await ctx.dataSource.query(`SELECT coalesce(sum(hits), 0) AS hits FROM rate_limit_counters WHERE key LIKE 'public:jwks:%'`))[0]
          .hits,
      );
    const config = ctx.app.get<AppConfig>(APP_CONFIG);
    const limit = config.rateLimits.public;
    // A window long enough that it cannot roll over (and restart the count) between the two readings.
    config.rateLimits.public = { ...limit, windowSeconds: 3600 };
    try {
      await ctx.http.get('/.well-known/jwks.json').expect(200);
      await written();
      const before = await counter();
      for (let i = 0; i < 5; i++) expect((await ctx.http.get('/.well-known/jwks.json').expect(200)).headers.age).toBeDefined();
      await written();
      expect(await counter()).toBe(before + 5);

      config.rateLimits.public = { ...limit, max: 0 };
      const refused = await ctx.http.get('/.well-known/jwks.json').expect(429);
      expect(refused.headers['retry-after']).toBeDefined();
      expect(refused.headers.age).toBeUndefined();
    } finally {
      config.rateLimits.public = limit;
    }
  });
});
