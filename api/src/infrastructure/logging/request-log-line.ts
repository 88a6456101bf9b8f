import type { IncomingMessage, ServerResponse } from 'node:http';
import { SPA_ROUTE, UNMATCHED_ROUTE } from './request-log-policy';

/** What Express and the auth guard add to a request by the time its answer is finished. */
interface FinishedRequest extends IncomingMessage {
  route?: { path?: unknown; methods?: Record<string, boolean> };
  baseUrl?: string;
  originalUrl?: string;
  user?: { id?: unknown };
}

/**
 * The whole of a request's log line besides pino's own level, time, pid and hostname and the request id the line
 * is bound to. Nothing else on purpose: headers carry tokens and cookies, URLs carry ids and query strings, and client
 * addresses are personal data kept (and erased) with the sign-in records, not in process logs.
 */
export interface RequestLogFields {
  method: string;
  /** The route template (`/api/exams/aida/attempts/:attemptId`), never the URL; `(spa)` or `(unmatched)` outside the API routes. */
  route: string;
  status: number;
  durationMs: number;
  /** The signed-in user the auth guard loaded for this request; null when it was not authenticated. */
  userId: string | null;
}

const API_PATH = /^\/(?:api|\.well-known)(?:[/?]|$)/;

/**
 * The matched route's template, joined with its router's base; a placeholder when no controller route matched. Nest
 * mounts module middleware with Express' all() (`/api/{*path}`), a route registered for every method, which stays
 * `req.route` when no controller route follows; a controller's route is registered for its one method.
 */
export function routeTemplate(req: IncomingMessage, status: number): string {
  const r = req as FinishedRequest;
  const template = r.route?.path;
  const middlewareMount = Object.keys(r.route?.methods ?? {}).length > 1;
  if (typeof template === 'string' && !middlewareMount) return `${r.baseUrl ?? ''}${template}`;
  // Static files and the SPA's client-side routes are answered by middleware, outside any route.
  const url = r.originalUrl ?? r.url ?? '';
  const spa = (r.method === 'GET' || r.method === 'HEAD') && status < 400 && !API_PATH.test(url);
  return spa ? SPA_ROUTE : UNMATCHED_ROUTE;
}

export function requestLogFields(req: IncomingMessage, res: ServerResponse, durationMs: number): RequestLogFields {
  const userId = (req as FinishedRequest).user?.id;
  return {
    method: req.method ?? '',
    route: routeTemplate(req, res.statusCode),
    status: res.statusCode,
    durationMs,
    userId: typeof userId === 'string' ? userId : null,
  };
}

/** `GET /api/framework 200 3ms`; a client that hung up before the answer was sent is marked. */
export function requestLogMessage(fields: RequestLogFields, res: ServerResponse): string {
  const aborted = res.writableEnded ? '' : ' (aborted)';
  return `${fields.method} ${fields.route} ${fields.status} ${fields.durationMs}ms${aborted}`;
}
