import { TestContext } from '../../../test/test-app';

describe('operations endpoints and HTTP hygiene', () => {
  let ctx: TestContext;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  it('reports database, migration and Redis health', async () => {
    const res = await ctx.http.get('/api/health').expect(200);
    // No worker runs in this suite: health.integration-spec covers the worker.
    expect(res.body).toMatchObject({ database: 'up', migrations: 'applied', redis: 'up' });
  });

  it('serves the OpenAPI document with the published contract paths', async () => {
    const res = await ctx.http.get('/api/docs-json').expect(200);
    const paths = Object.keys(res.body.paths);
    for (const p of [
      '/api/auth/register',
      '/api/auth/login',
      '/api/auth/refresh',
      '/api/auth/logout',
      '/api/me',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
    ]) {
      expect(paths).toContain(p);
    }
    expect(res.body.components.schemas.RegisterDto.required).toEqual(['email', 'password', 'fullName']);
    await ctx.http.get('/api/docs').expect(200);
  });

  it('documents on every operation the 503 a database outage answers, with its Retry-After and body', async () => {
    const { paths, components } = (await ctx.http.get('/api/docs-json').expect(200)).body;
    const operations = Object.values(paths as Record<string, Record<string, { responses: Record<string, unknown> }>>).flatMap((item) =>
      Object.values(item),
    );
    expect(operations.length).toBeGreaterThan(50);
    for (const operation of operations) expect(Object.keys(operation.responses)).toContain('503');
    expect(paths['/api/me'].get.responses['503']).toMatchObject({
      headers: { 'Retry-After': expect.any(Object) },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ServiceUnavailableError' } } },
    });
    expect(components.schemas.ServiceUnavailableError.required).toEqual(['statusCode', 'error', 'message', 'retryAfter']);
  });

  it('tags every response with a request id, keeping a well-formed incoming one', async () => {
    const own = await ctx.http.get('/api/health');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await ctx.http.get('/api/health').set('X-Request-Id', 'lb-1234');
    expect(given.headers['x-request-id']).toBe('lb-1234');
    const hostile = await ctx.http.get('/api/health').set('X-Request-Id', '<script>alert(1)</script>');
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await ctx.http.get('/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown API path with a 404 in the contract shape', async () => {
    const res = await ctx.http.get('/api/no-such-thing').expect(404);
    expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });

  it('answers a malformed id with 400, not a database error', async () => {
    const admin = await ctx.newAdmin();
    const res = await ctx.http.get('/api/admin/mail/not-a-uuid').set('Authorization', `Bearer ${admin.accessToken}`).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it('refuses an oversized body with 413 in the contract shape', async () => {
    const res = await ctx.http
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);
    expect(res.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'The request body is too large' });
  });
});
