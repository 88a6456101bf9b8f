import express, { type Response } from 'express';
import request from 'supertest';
import type { BatchedRateLimiter } from '../rate-limit/batched-rate-limiter';
import {
  allowSharedCaching,
  type CacheHitObserver,
  forgetSharedResponses,
  notModifiedFor,
  SharedResponseCache,
} from './shared-response-cache';

/** A real Express app with the cache in front of routes that count how often the pipeline answers them. */
function appWithCache() {
  const answered: string[] = [];
  const observer: CacheHitObserver = {
    requestId: (_req, res) => {
      res.setHeader('X-Request-Id', 'from-memory');
      return 'from-memory';
    },
    route: (req) => req.path,
    answered: (req) => void answered.push(req.url),
  };
  const cache = new SharedResponseCache(observer, {} as BatchedRateLimiter, () => ({ max: 1, windowSeconds: 60 }));
  const pipeline: string[] = [];
  const app = express();
  app.use(cache.middleware);
  const shared = (seconds: number, extra?: (res: Response) => void) => (req: express.Request, res: Response) => {
    pipeline.push(req.url);
    allowSharedCaching(res, seconds);
    extra?.(res);
    res.setHeader('Cache-Control', `public, max-age=${seconds}`);
    res.setHeader('ETag', '"v1"');
    res.json({ url: req.url, n: pipeline.length });
  };
  app.get('/shared', shared(10));
  app.get(
    '/cookie',
    shared(10, (res) => res.setHeader('Set-Cookie', 'a=b')),
  );
  app.get('/not-found', (req, res) => {
    pipeline.push(req.url);
    allowSharedCaching(res, 10);
    res.status(404).json({});
  });
  app.get('/private', (req, res) => {
    pipeline.push(req.url);
    res.json({ n: pipeline.length });
  });
  return { http: request(app), pipeline, answered, cache };
}

describe('SharedResponseCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('answers a stored GET from memory until it expires, with Age, the stored headers and a 304 for its ETag', async () => {
    const { http, pipeline, answered } = appWithCache();
    const first = await http.get('/shared').expect(200);
    const second = await http.get('/shared').expect(200);
    expect(pipeline).toEqual(['/shared']);
    expect(second.text).toBe(first.text);
    expect(second.headers.age).toBe('0');
    expect(second.headers['x-request-id']).toBe('from-memory');
    expect(second.headers['cache-control']).toBe('public, max-age=10');
    expect(answered).toEqual(['/shared']);
    const notModified = await http.get('/shared').set('If-None-Match', '"v1"').expect(304);
    expect(notModified.text).toBe('');
    expect(notModified.headers['content-type']).toBeUndefined();

    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 10_001);
    await http.get('/shared').expect(200);
    expect(pipeline).toEqual(['/shared', '/shared']);
  });

  it('in a copy’s last second, one request refreshes it while the others are still served from memory', async () => {
    const { http, pipeline } = appWithCache();
    await http.get('/shared').expect(200);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 9_500);
    const answers = await Promise.all([1, 2, 3, 4].map(() => http.get('/shared').expect(200)));
    expect(pipeline).toEqual(['/shared', '/shared']);
    expect(answers.filter((a) => a.headers.age === undefined)).toHaveLength(1);
    // The refreshed copy lives ten seconds from its refresh.
    jest.spyOn(Date, 'now').mockReturnValue(now + 15_000);
    expect((await http.get('/shared').expect(200)).headers.age).toBeDefined();
    expect(pipeline).toHaveLength(2);
  });

  it('stores nothing for a query string, an Authorization header, a Set-Cookie, a non-200 or a route that did not allow it', async () => {
    const { http, pipeline } = appWithCache();
    for (const call of [
      () => http.get('/shared?x=1'),
      () => http.get('/shared').set('Authorization', 'Bearer x'),
      () => http.get('/cookie'),
      () => http.get('/not-found'),
      () => http.get('/private'),
    ]) {
      await call();
      await call();
    }
    expect(pipeline).toEqual([
      '/shared?x=1',
      '/shared?x=1',
      '/shared',
      '/shared',
      '/cookie',
      '/cookie',
      '/not-found',
      '/not-found',
      '/private',
      '/private',
    ]);
  });

  it('a copy that expired, or was forgotten, is stored again even when every client asks conditionally', async () => {
    const { http, pipeline } = appWithCache();
    await http.get('/shared').expect(200);
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 10_001);
    const refetched = await http.get('/shared').set('If-None-Match', '"v1"').expect(200);
    expect(refetched.headers.age).toBeUndefined();
    expect((await http.get('/shared').set('If-None-Match', '"v1"').expect(304)).headers.age).toBe('0');
    forgetSharedResponses('/shared');
    await http.get('/shared').set('If-None-Match', '"v1"').expect(200);
    expect((await http.get('/shared').set('If-None-Match', '"v1"').expect(304)).headers.age).toBeDefined();
    expect(pipeline).toEqual(['/shared', '/shared', '/shared']);
  });

  it('forgets the copies under a path in every cache of the process, so a change is served at once', async () => {
    const { http, pipeline } = appWithCache();
    await http.get('/shared').expect(200);
    forgetSharedResponses('/sha');
    await http.get('/shared').expect(200);
    expect(pipeline).toEqual(['/shared', '/shared']);
  });

  it('If-None-Match by RFC 9110: a list, weak tags, *; never with Cache-Control: no-cache', () => {
    const req = (headers: Record<string, string>) => ({ headers }) as unknown as express.Request;
    expect(notModifiedFor(req({ 'if-none-match': '"a", W/"v1"' }), '"v1"')).toBe(true);
    expect(notModifiedFor(req({ 'if-none-match': '*' }), '"v1"')).toBe(true);
    expect(notModifiedFor(req({ 'if-none-match': '"v2"' }), '"v1"')).toBe(false);
    expect(notModifiedFor(req({}), '"v1"')).toBe(false);
    expect(notModifiedFor(req({ 'if-none-match': '"v1"', 'cache-control': 'max-age=0, no-cache' }), '"v1"')).toBe(false);
  });
});
