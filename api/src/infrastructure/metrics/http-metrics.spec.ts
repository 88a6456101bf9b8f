import { routeTemplate } from '../logging/request-log-line';
import { SPA_ROUTE, UNMATCHED_ROUTE } from '../logging/request-log-policy';
import { statusClassOf } from './http-metrics';

// The labels follow the request log's route rule (one rule for both): checked here for what metrics need of it.
const routeTemplateOf = (req: object, status: number) => routeTemplate(req as Parameters<typeof routeTemplate>[0], status);

describe('HTTP metrics labels', () => {
  const req = (over: Partial<{ route: unknown; baseUrl: string; method: string; originalUrl: string }>) =>
    ({ route: undefined, baseUrl: '', method: 'GET', originalUrl: '/', ...over }) as object;

  it('labels a request by the route template that answered it, never by its ids', () => {
    const label = routeTemplateOf(
      req({ route: { path: '/api/exams/aida/attempts/:attemptId', stack: [] }, originalUrl: '/api/exams/aida/attempts/0b7c6a9e-1d2f' }),
      200,
    );
    expect(label).toBe('/api/exams/aida/attempts/:attemptId');
    expect(routeTemplateOf(req({ route: { path: '/:id' }, baseUrl: '/api/things' }), 200)).toBe('/api/things/:id');
  });

  it('labels requests no route answered as the SPA (successful reads outside /api) or unmatched', () => {
    expect(routeTemplateOf(req({ originalUrl: '/exam/123' }), 200)).toBe(SPA_ROUTE);
    expect(routeTemplateOf(req({ originalUrl: '/assets/index-abc.js' }), 304)).toBe(SPA_ROUTE);
    expect(routeTemplateOf(req({ originalUrl: '/api/nothing/here' }), 404)).toBe(UNMATCHED_ROUTE);
    expect(routeTemplateOf(req({ originalUrl: '/nothing' }), 404)).toBe(UNMATCHED_ROUTE);
    expect(routeTemplateOf(req({ method: 'POST', originalUrl: '/x' }), 200)).toBe(UNMATCHED_ROUTE);
    // Only a middleware's all-methods route matched (Nest mounts module middleware so): no handler answered.
    expect(
      routeTemplateOf(req({ route: { path: '/api/{*path}', methods: { get: true, post: true, put: true } }, originalUrl: '/api/x' }), 404),
    ).toBe(UNMATCHED_ROUTE);
  });

  it('groups statuses by class for the latency histogram', () => {
    expect([200, 204, 304, 401, 409, 503].map(statusClassOf)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx']);
  });
});
