import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { setLogDestination } from './logging.module';
import { parseRouteOverrides } from './request-log-policy';

/** The request lines of the real HTTP application, captured from its logger as the JSON it writes. */
describe('request logging (real PostgreSQL and Redis)', () => {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  let ctx: TestContext;
  let config: AppConfig;
  let candidate: TestUser;
  const level = process.env.LOG_LEVEL;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'info'; // the suites run silent
    setLogDestination(sink);
    ctx = await TestContext.create();
    config = ctx.app.get<AppConfig>(APP_CONFIG);
    candidate = await ctx.newCandidate();
  });

  afterAll(async () => {
    await ctx.close();
    setLogDestination(undefined);
    process.env.LOG_LEVEL = level;
  });

  afterEach(() => {
    config.requestLogging.mode = 'all';
    config.requestLogging.sampleRate = 1;
    config.requestLogging.routes = [];
  });

  const requestLines = () => raw.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => 'route' in l && 'status' in l);
  const rawLineOf = (requestId: string) => raw.find((l) => l.includes(`"requestId":"${requestId}"`) && l.includes('"route"'));
  const lineOf = async (requestId: string) => JSON.parse(await eventually(async () => rawLineOf(requestId), `the line of ${requestId}`));
  const id = (label: string) => `${label}-${randomUUID()}`;

  /**
   * Whether each request got its line. Lines are written when an answer finishes, in order: once a later request's
   * line (a 404, logged under every mode the tests use) is there, an earlier line that is missing was not written.
   */
  async function logged(requestIds: string[]): Promise<boolean[]> {
    const marker = id('marker');
    await ctx.http.get('/api/no-such-route').set('X-Request-Id', marker).expect(404);
    await lineOf(marker);
    return requestIds.map((r) => rawLineOf(r) !== undefined);
  }

  it('writes one line per request: method, route template, status, duration, request id and user id, nothing else', async () => {
    const attemptId = randomUUID();
    const requestId = id('attempt');
    await ctx
      .as(candidate)
      .get(`/api/exams/aida/attempts/${attemptId}?secretQuery=abc123`)
      .set('X-Request-Id', requestId)
      .set('Cookie', 'psf_refresh=cookie-value-xyz')
      .expect(404)
      .expect('X-Request-Id', requestId);
    const line = await lineOf(requestId);
    expect(Object.keys(line).sort()).toEqual(
      ['durationMs', 'hostname', 'level', 'method', 'msg', 'pid', 'requestId', 'route', 'status', 'time', 'userId'].sort(),
    );
    expect(line).toMatchObject({
      level: 30,
      method: 'GET',
      route: '/api/exams/aida/attempts/:attemptId',
      status: 404,
      requestId,
      userId: candidate.id,
    });
    expect(typeof line.durationMs).toBe('number');
    expect(line.msg).toBe(`GET /api/exams/aida/attempts/:attemptId 404 ${line.durationMs}ms`);
    expect(raw.filter((l) => l.includes(requestId) && l.includes('"route"'))).toHaveLength(1);
  });

  it('never logs headers, credentials, cookies, the URL, the query string or the client address', async () => {
    const requestId = id('private');
    await ctx
      .as(candidate)
      .get('/api/me?email=someone%40example.org&token=query-token-123')
      .set('X-Request-Id', requestId)
      .set('Cookie', 'psf_refresh=cookie-value-xyz; psf_device=device-value')
      .expect(200);
    const signedOut = id('signed-out');
    await ctx.http.get('/api/me').set('X-Request-Id', signedOut).set('Authorization', 'Bearer not-a-real-token').expect(401);
    await lineOf(requestId);
    expect(await lineOf(signedOut)).toMatchObject({ route: '/api/me', status: 401, userId: null });
    const everything = raw.join('\n');
    for (const secret of [candidate.accessToken, 'not-a-real-token', 'cookie-value-xyz', 'device-value', 'query-token-123']) {
      expect(everything).not.toContain(secret);
    }
    const requestText = raw.filter((l) => l.includes('"route"')).join('\n');
    expect(requestText).not.toMatch(/authorization|cookie|headers|remoteAddress|user-agent|127\.0\.0\.1|::1|"url"|\?|example\.org/i);
    expect(await lineOf(requestId)).toMatchObject({ route: '/api/me', status: 200, userId: candidate.id });
  });

  it('names requests no route took (unmatched), refused bodies included, and leaves health probes out', async () => {
    const unmatched = id('unmatched');
    await ctx.http.get('/api/nothing/here/42?x=1').set('X-Request-Id', unmatched).expect(404);
    expect(await lineOf(unmatched)).toMatchObject({ route: '(unmatched)', status: 404, userId: null });
    const badJson = id('bad-json');
    await ctx.http
      .post('/api/auth/login')
      .set('X-Request-Id', badJson)
      .set('Content-Type', 'application/json')
      .send('{"email":')
      .expect(400);
    expect(await lineOf(badJson)).toMatchObject({ method: 'POST', route: '(unmatched)', status: 400 });

    const probes = [id('live'), id('ready'), id('summary')];
    await ctx.http.get('/api/health/live').set('X-Request-Id', probes[0]).expect(200);
    await ctx.http.get('/api/health/ready').set('X-Request-Id', probes[1]).expect(200);
    await ctx.http.get('/api/health').set('X-Request-Id', probes[2]);
    expect(await logged(probes)).toEqual([false, false, false]);
  });

  it('LOG_REQUESTS=errors logs only the answers with status 400 and above', async () => {
    config.requestLogging.mode = 'errors';
    const ok = id('ok');
    const refused = id('refused');
    await ctx.as(candidate).get('/api/me').set('X-Request-Id', ok).expect(200);
    await ctx.http.get('/api/me').set('X-Request-Id', refused).expect(401);
    expect(await logged([ok, refused])).toEqual([false, true]);
  });

  it('LOG_REQUESTS=off logs no request at all', async () => {
    config.requestLogging.mode = 'off';
    const ok = id('ok');
    const refused = id('refused');
    await ctx.as(candidate).get('/api/me').set('X-Request-Id', ok).expect(200);
    await ctx.http.get('/api/me').set('X-Request-Id', refused).expect(401);
    config.requestLogging.mode = 'all'; // for the marker
    expect(await logged([ok, refused])).toEqual([false, false]);
  });

  it('LOG_REQUEST_SAMPLE=0 drops every successful request and keeps the refused ones', async () => {
    config.requestLogging.sampleRate = 0;
    const ok = [id('ok'), id('ok'), id('ok')];
    for (const requestId of ok) await ctx.as(candidate).get('/api/me').set('X-Request-Id', requestId).expect(200);
    const refused = id('refused');
    await ctx.http.get('/api/me').set('X-Request-Id', refused).expect(401);
    expect(await logged([...ok, refused])).toEqual([false, false, false, true]);
  });

  it('LOG_REQUEST_ROUTES switches a route off, or on against the global setting', async () => {
    config.requestLogging.routes = parseRouteOverrides('GET /api/framework=off,/api/me=all').overrides;
    config.requestLogging.mode = 'errors';
    const framework = id('framework');
    const me = id('me');
    const other = id('other');
    await ctx.http.get('/api/framework').set('X-Request-Id', framework).expect(200);
    await ctx.as(candidate).get('/api/me').set('X-Request-Id', me).expect(200);
    await ctx.as(candidate).get('/api/exams/aida/attempts').set('X-Request-Id', other).expect(200);
    expect(await logged([framework, me, other])).toEqual([false, true, false]);
  });

  it('writes JSON, one object per line', () => {
    expect(requestLines().length).toBeGreaterThan(5);
    for (const line of raw) expect(() => JSON.parse(line)).not.toThrow();
  });
});
