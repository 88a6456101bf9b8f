import type { IncomingMessage, ServerResponse } from 'node:http';
import { requestLogFields, requestLogMessage, routeTemplate } from './request-log-line';

const req = (fields: Record<string, unknown>) => ({ method: 'GET', headers: {}, ...fields }) as unknown as IncomingMessage;
const res = (statusCode: number, writableEnded = true) => ({ statusCode, writableEnded }) as unknown as ServerResponse;

describe('request log line', () => {
  it('names the route template, never the URL', () => {
    const attempt = req({ route: { path: '/api/exams/aida/attempts/:attemptId' }, originalUrl: '/api/exams/aida/attempts/42?token=x' });
    expect(routeTemplate(attempt, 200)).toBe('/api/exams/aida/attempts/:attemptId');
    expect(routeTemplate(req({ route: { path: '/:id' }, baseUrl: '/api/things' }), 200)).toBe('/api/things/:id');
  });

  it('uses placeholders outside the routes: (spa) for pages and files, (unmatched) for the rest', () => {
    expect(routeTemplate(req({ originalUrl: '/candidate/aida?x=1' }), 200)).toBe('(spa)');
    expect(routeTemplate(req({ originalUrl: '/assets/index-abc.js' }), 304)).toBe('(spa)');
    expect(routeTemplate(req({ originalUrl: '/api/nope' }), 404)).toBe('(unmatched)');
    expect(routeTemplate(req({ originalUrl: '/nope' }), 404)).toBe('(unmatched)');
    expect(routeTemplate(req({ method: 'POST', originalUrl: '/api/auth/login' }), 400)).toBe('(unmatched)');
    // Nest's middleware mount, left as req.route when no controller route matched.
    const mount = { path: '/api/{*path}', methods: { get: true, post: true, put: true, delete: true } };
    expect(routeTemplate(req({ route: mount, originalUrl: '/api/nope/42' }), 404)).toBe('(unmatched)');
    expect(routeTemplate(req({ route: { path: '/api/me', methods: { get: true } } }), 200)).toBe('/api/me');
  });

  it('holds method, route, status, duration and user id, and nothing else', () => {
    const signedIn = req({ route: { path: '/api/me' }, user: { id: 'u-1', email: 'a@b.c' }, headers: { authorization: 'Bearer t' } });
    expect(requestLogFields(signedIn, res(200), 12)).toEqual({
      method: 'GET',
      route: '/api/me',
      status: 200,
      durationMs: 12,
      userId: 'u-1',
    });
    expect(requestLogFields(req({ route: { path: '/api/me' } }), res(401), 1).userId).toBeNull();
  });

  it('reads like "GET /api/framework 200 3ms" and marks an abandoned answer', () => {
    const fields = { method: 'GET', route: '/api/framework', status: 200, durationMs: 3, userId: null };
    expect(requestLogMessage(fields, res(200))).toBe('GET /api/framework 200 3ms');
    expect(requestLogMessage(fields, res(200, false))).toBe('GET /api/framework 200 3ms (aborted)');
  });
});
