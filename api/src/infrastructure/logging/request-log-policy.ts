/**
 * Which requests get a log line (issue #16): LOG_REQUESTS, LOG_REQUEST_SAMPLE and the per-route overrides of
 * LOG_REQUEST_ROUTES. Pure, so that the config can refuse a bad value at boot and the rules can be unit-tested.
 */

/** `all`: every request; `errors`: only answers with status ≥ 400; `off`: none. */
export const REQUEST_LOG_MODES = ['all', 'errors', 'off'] as const;
export type RequestLogMode = (typeof REQUEST_LOG_MODES)[number];

/** A route's own rule: a mode, or the fraction of its successful (< 400) requests that is logged (errors always are). */
export type RouteLogRule = RequestLogMode | number;

export interface RouteOverride {
  /** Upper-case HTTP method, or null for every method. */
  method: string | null;
  /** A route template as the log lines show it (`/api/exams/aida/attempts/:attemptId`, `(spa)`), without a trailing `*`. */
  route: string;
  /** The entry ended with `*`: it covers every route that starts with `route`. */
  prefix: boolean;
  rule: RouteLogRule;
}

export interface RequestLogPolicy {
  mode: RequestLogMode;
  /** The fraction (0..1) of successful requests logged where no override applies. */
  sampleRate: number;
  /** Most specific first (see parseRouteOverrides). */
  routes: RouteOverride[];
}

/** Placeholders for requests no API route matched: the SPA's pages and files, and everything else (404s, bad JSON). */
export const SPA_ROUTE = '(spa)';
export const UNMATCHED_ROUTE = '(unmatched)';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// Express 5 templates: literal segments, :params and {optional}/{*wildcard} parts; a final `*` makes the entry a prefix.
const ROUTE = /^\/[A-Za-z0-9/:._~{}*-]*$/;
const FRACTION = /^(?:0(?:\.\d+)?|1(?:\.0+)?|\.\d+)$/;

export const ROUTE_OVERRIDES_SYNTAX =
  'comma-separated "[METHOD ]/route/template=RULE" entries (a final * matches every route starting so; (spa) and (unmatched) ' +
  'name requests outside the API routes), RULE being off, errors, all or a fraction 0..1 of successful requests, ' +
  'e.g. "GET /api/exams/aida/attempts/:attemptId=0.01,/api/framework=off"';

/**
 * Parses LOG_REQUEST_ROUTES. Returns the overrides most specific first (an exact template before a prefix, a longer
 * prefix before a shorter one, a method-specific entry before a method-less one), so the first match is the one that
 * applies, and a problem per bad entry (an empty list when the value is good).
 */
export function parseRouteOverrides(value: string): { overrides: RouteOverride[]; problems: string[] } {
  const overrides: RouteOverride[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const raw of value.split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.lastIndexOf('=');
    if (eq < 0) {
      problems.push(`"${entry}" has no "=RULE"`);
      continue;
    }
    const target = entry.slice(0, eq).trim();
    const ruleText = entry
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    const [first, second, ...extra] = target.split(/\s+/);
    const method = second === undefined ? null : first.toUpperCase();
    let route = second === undefined ? first : second;
    if (extra.length || (method !== null && !METHODS.has(method))) {
      problems.push(`"${entry}": "${target}" is not "[METHOD ]/route" (METHOD one of ${[...METHODS].join(', ')})`);
      continue;
    }
    const placeholder = route === SPA_ROUTE || route === UNMATCHED_ROUTE;
    if (!placeholder && !ROUTE.test(route)) {
      problems.push(`"${entry}": the route must start with / (or be ${SPA_ROUTE} or ${UNMATCHED_ROUTE})`);
      continue;
    }
    const prefix = !placeholder && route.endsWith('*');
    if (prefix) route = route.slice(0, -1);
    if (route.includes('*') && !/\{\*[A-Za-z0-9_]+\}/.test(route)) {
      problems.push(`"${entry}": * may only end the route (a prefix) or name a {*wildcard}`);
      continue;
    }
    let rule: RouteLogRule;
    if ((REQUEST_LOG_MODES as readonly string[]).includes(ruleText)) rule = ruleText as RequestLogMode;
    else if (FRACTION.test(ruleText)) rule = Number(ruleText);
    else {
      problems.push(`"${entry}": "${ruleText}" is not off, errors, all or a fraction between 0 and 1`);
      continue;
    }
    const key = `${method ?? '*'} ${route}${prefix ? '*' : ''}`;
    if (seen.has(key)) {
      problems.push(`"${entry}": the route is given twice`);
      continue;
    }
    seen.add(key);
    overrides.push({ method, route, prefix, rule });
  }
  const specificity = (o: RouteOverride) => (o.prefix ? 0 : 1_000_000) + o.route.length * 2 + (o.method ? 1 : 0);
  overrides.sort((a, b) => specificity(b) - specificity(a));
  return { overrides, problems };
}

/** The override that applies to a request, if any. */
export function routeOverrideFor(policy: RequestLogPolicy, method: string, route: string): RouteOverride | undefined {
  return policy.routes.find(
    (o) => (o.method === null || o.method === method) && (o.prefix ? route.startsWith(o.route) : route === o.route),
  );
}

/**
 * Whether a finished request gets its line. A route's override replaces LOG_REQUESTS and LOG_REQUEST_SAMPLE for that
 * route; sampling only ever drops successful (< 400) answers, never a refused or failed one.
 */
export function shouldLogRequest(
  policy: RequestLogPolicy,
  request: { method: string; route: string; status: number },
  random: () => number = Math.random,
): boolean {
  const override = routeOverrideFor(policy, request.method, request.route);
  const rule: RouteLogRule = override ? override.rule : policy.mode === 'all' ? policy.sampleRate : policy.mode;
  if (rule === 'off') return false;
  if (request.status >= 400) return true;
  if (rule === 'errors') return false;
  const rate = rule === 'all' ? 1 : rule;
  return rate >= 1 || (rate > 0 && random() < rate);
}

/**
 * 5xx at error: the platform failed and someone should look. 4xx at info, not warn: a refused request (validation,
 * an expired sign-in, a missing record, a rate limit) is the API answering as designed, and at warn routine client
 * mistakes would bury the warnings an operator alerts on. 2xx/3xx at info.
 */
export function requestLogLevel(status: number): 'error' | 'info' {
  return status >= 500 ? 'error' : 'info';
}
