import { loadConfig } from '../config/app-config';
import { parseRouteOverrides, type RequestLogPolicy, requestLogLevel, routeOverrideFor, shouldLogRequest } from './request-log-policy';

const policy = (overrides: Partial<RequestLogPolicy> = {}, routes = ''): RequestLogPolicy => ({
  mode: 'all',
  sampleRate: 1,
  routes: parseRouteOverrides(routes).overrides,
  ...overrides,
});
const get = (route: string, status = 200) => ({ method: 'GET', route, status });

describe('LOG_REQUEST_ROUTES', () => {
  it('reads method-specific and method-less entries, modes and fractions', () => {
    const { overrides, problems } = parseRouteOverrides(
      ' GET /api/exams/aida/attempts/:attemptId=0.01 , /api/framework=off,post /api/auth/login=errors,(spa)=all,/api/admin/*=.5',
    );
    expect(problems).toEqual([]);
    expect(overrides).toEqual(
      expect.arrayContaining([
        { method: 'GET', route: '/api/exams/aida/attempts/:attemptId', prefix: false, rule: 0.01 },
        { method: null, route: '/api/framework', prefix: false, rule: 'off' },
        { method: 'POST', route: '/api/auth/login', prefix: false, rule: 'errors' },
        { method: null, route: '(spa)', prefix: false, rule: 'all' },
        { method: null, route: '/api/admin/', prefix: true, rule: 0.5 },
      ]),
    );
    expect(overrides).toHaveLength(5);
  });

  it('accepts an empty value and ignores empty entries', () => {
    expect(parseRouteOverrides('')).toEqual({ overrides: [], problems: [] });
    expect(parseRouteOverrides('/api/framework=off,').problems).toEqual([]);
  });

  it.each([
    ['/api/framework', 'has no "=RULE"'],
    ['/api/framework=2', 'is not off, errors, all or a fraction'],
    ['/api/framework=-0.1', 'is not off, errors, all or a fraction'],
    ['/api/framework=sometimes', 'is not off, errors, all or a fraction'],
    ['FETCH /api/framework=off', 'is not "[METHOD ]/route"'],
    ['GET /api/framework extra=off', 'is not "[METHOD ]/route"'],
    ['api/framework=off', 'must start with /'],
    ['/api/framework?x=1=off', 'must start with /'],
    ['/api/*/answers=off', '* may only end the route'],
    ['/api/framework=off,/api/framework=all', 'given twice'],
  ])('refuses %s', (value, problem) => {
    const { problems } = parseRouteOverrides(value);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('accepts Express 5 wildcard templates', () => {
    expect(parseRouteOverrides('/.well-known/{*path}=off').overrides).toEqual([
      { method: null, route: '/.well-known/{*path}', prefix: false, rule: 'off' },
    ]);
  });

  it('applies the most specific entry: exact before prefix, longer prefix first, the method-specific one first', () => {
    const p = policy({}, '/api/*=off,/api/admin/*=errors,/api/admin/users=all,GET /api/admin/users=0.5');
    expect(routeOverrideFor(p, 'GET', '/api/admin/users')?.rule).toBe(0.5);
    expect(routeOverrideFor(p, 'POST', '/api/admin/users')?.rule).toBe('all');
    expect(routeOverrideFor(p, 'GET', '/api/admin/users/:userId')?.rule).toBe('errors');
    expect(routeOverrideFor(p, 'GET', '/api/framework')?.rule).toBe('off');
    expect(routeOverrideFor(p, 'GET', '(spa)')).toBeUndefined();
  });
});

describe('which requests are logged', () => {
  it('LOG_REQUESTS=all logs everything, errors only status ≥ 400, off nothing', () => {
    for (const status of [200, 304, 404, 500]) expect(shouldLogRequest(policy(), get('/api/framework', status))).toBe(true);
    const errors = policy({ mode: 'errors' });
    expect([200, 302, 400, 401, 404, 500].map((s) => shouldLogRequest(errors, get('/x', s)))).toEqual([
      false,
      false,
      true,
      true,
      true,
      true,
    ]);
    expect([200, 500].map((s) => shouldLogRequest(policy({ mode: 'off' }), get('/x', s)))).toEqual([false, false]);
  });

  it('samples successful requests only', () => {
    const half = policy({ sampleRate: 0.5 });
    expect(shouldLogRequest(half, get('/x'), () => 0.49)).toBe(true);
    expect(shouldLogRequest(half, get('/x'), () => 0.5)).toBe(false);
    expect(shouldLogRequest(half, get('/x', 404), () => 0.99)).toBe(true);
    expect(shouldLogRequest(policy({ sampleRate: 0 }), get('/x'), () => 0)).toBe(false);
    expect(shouldLogRequest(policy({ sampleRate: 0 }), get('/x', 503))).toBe(true);
  });

  it('lets a route override the mode and the sample either way', () => {
    const p = policy({ mode: 'off' }, '/api/framework=all,/api/exams/*=0');
    expect(shouldLogRequest(p, get('/api/framework'))).toBe(true);
    expect(shouldLogRequest(p, get('/api/other'))).toBe(false);
    expect(shouldLogRequest(p, get('/api/exams/aida'), () => 0)).toBe(false);
    expect(shouldLogRequest(p, get('/api/exams/aida', 409))).toBe(true);
    expect(shouldLogRequest(policy({}, '/api/framework=off'), get('/api/framework', 500))).toBe(false);
  });

  it('logs 5xx at error and everything else at info', () => {
    expect([200, 302, 400, 404, 429, 499, 500, 503].map(requestLogLevel)).toEqual([
      'info',
      'info',
      'info',
      'info',
      'info',
      'info',
      'error',
      'error',
    ]);
  });
});

describe('request logging settings at boot', () => {
  const valid = { DATABASE_URL: 'postgres://u@h/db', JWT_SECRET: 'x'.repeat(32) };

  it('defaults to every request, unsampled, no overrides', () => {
    expect(loadConfig(valid).requestLogging).toEqual({ mode: 'all', sampleRate: 1, routes: [] });
  });

  it('reads LOG_REQUESTS, LOG_REQUEST_SAMPLE, LOG_REQUEST_ROUTES and LOG_FORMAT', () => {
    const config = loadConfig({
      ...valid,
      LOG_REQUESTS: 'errors',
      LOG_REQUEST_SAMPLE: '0.25',
      LOG_REQUEST_ROUTES: '/api/framework=off',
      LOG_FORMAT: 'pretty',
    });
    expect(config.requestLogging).toEqual({
      mode: 'errors',
      sampleRate: 0.25,
      routes: [{ method: null, route: '/api/framework', prefix: false, rule: 'off' }],
    });
    expect(config.logFormat).toBe('pretty');
    expect(loadConfig({ ...valid, NODE_ENV: 'production' }).logFormat).toBe('json');
  });

  it.each([
    ['LOG_REQUESTS', 'some'],
    ['LOG_REQUEST_SAMPLE', '1.5'],
    ['LOG_REQUEST_SAMPLE', 'half'],
    ['LOG_REQUEST_ROUTES', '/api/framework=rarely'],
    ['LOG_FORMAT', 'text'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ ...valid, [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('says what LOG_REQUEST_ROUTES expects', () => {
    expect(() => loadConfig({ ...valid, LOG_REQUEST_ROUTES: 'api/framework=off' })).toThrow(/must start with \/.*expected comma-separated/);
  });
});
