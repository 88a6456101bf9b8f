import type { NextFunction, Request, Response } from 'express';
import type { OutgoingHttpHeaders } from 'node:http';
import type { BatchedRateLimiter, RateVerdict } from '../rate-limit/batched-rate-limiter';
import { rateLimitKey, rateLimitOf, type RateLimitSpec } from '../rate-limit/rate-limit.guard';

const SHARED_SECONDS = Symbol('psf:shared-cache-seconds');

/**
 * Lets this replica answer the same URL from memory for `seconds` (sendCacheable's `shared` option). Only for
 * answers that are the same for everybody and whose staleness is bounded by their own Cache-Control: the cache
 * sends `Age`, so a downstream cache never keeps a copy longer than the route's max-age allows in all.
 */
export function allowSharedCaching(res: Response, seconds: number): void {
  (res as Response & { [SHARED_SECONDS]?: number })[SHARED_SECONDS] = seconds;
}

/** How a request answered from memory is logged and counted (the request logger's and HttpMetrics' own rules). */
export interface CacheHitObserver {
  /** The request's id (X-Request-Id), as the request logger gives it. */
  requestId(req: Request, res: Response): string;
  /** The route template a request was matched to, once the pipeline has answered it (for the stored copy's lines). */
  route(req: Request, res: Response): string;
  /** Logs and counts the answer, just sent. */
  answered(req: Request, res: Response, route: string, requestId: string, startedAt: bigint): void;
}

interface Entry {
  status: number;
  headers: Array<[string, OutgoingHttpHeaders[string]]>;
  body: Buffer;
  etag: string | undefined;
  /** The route template the answer came from, for its log line and metrics. */
  route: string;
  /** The limit the route counts requests against; a copy served from memory counts them too. */
  rateLimit: RateLimitSpec | undefined;
  storedAt: number;
  expiresAt: number;
  /** One request is on its way down the pipeline to store the next copy before this one expires. */
  refreshing: boolean;
}

/** Never copied into a stored answer: per request (id, date), per connection, or recomputed (Age, length). */
const NOT_STORED = new Set(['x-request-id', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'age']);
/** What a 304 leaves out (RFC 9110 15.4.5; Express removes the same). */
const NOT_IN_304 = new Set(['content-type', 'content-length', 'transfer-encoding']);
/**
 * In its last second a copy is still served, but one request (only one) goes down the pipeline to store the next:
 * a copy that expires under load does not send every concurrent request to the database at once.
 */
const REFRESH_AHEAD_MS = 1000;
/** Status lists, the JWK Set, the framework: a handful of URLs. Beyond this, the oldest entry goes. */
const MAX_ENTRIES = 1000;

const caches = new Set<WeakRef<SharedResponseCache>>();

/**
 * Forgets the stored answers of every URL that starts with `pathPrefix`, in every application of this process: the
 * services that change what such a URL answers (a status list saved, a signing key added or retired) call it, so the
 * next request gets the new content. Other replicas (and command-line tasks) keep their copy until it expires.
 */
export function forgetSharedResponses(pathPrefix: string): void {
  for (const ref of caches) {
    const cache = ref.deref();
    if (cache) cache.forget(pathPrefix);
    else caches.delete(ref);
  }
}

/**
 * A replica's memory cache of public answers that are the same for everybody (issue #16): the framework, the JWK
 * Set, status lists. Mounted first in the HTTP app: a stored answer is sent without Express's routing, Nest's guards
 * and pipes or any database query, with the headers the full pipeline gave it (security headers, ETag,
 * Cache-Control) plus `Age`, a 304 for a matching If-None-Match, its own X-Request-Id, log line and metrics, and
 * the route's rate limit still counted (in memory: BatchedRateLimiter). Over the limit, the request goes down the
 * full pipeline, which answers the 429.
 *
 * Stored: 200 answers to a GET without a query string or an Authorization header, from routes that allowed it
 * (allowSharedCaching), with no Set-Cookie. Everything else passes through untouched.
 */
export class SharedResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by forget(): an answer computed before a forget is not stored after it. */
  private generation = 0;

  constructor(
    private readonly observer: CacheHitObserver,
    private readonly limiter: BatchedRateLimiter,
    private readonly limits: (spec: RateLimitSpec) => { max: number; windowSeconds: number },
  ) {
    caches.add(new WeakRef(this));
  }

  /** Stops serving the copies under `pathPrefix`; they stay known as storable, so the next request stores a new one. */
  forget(pathPrefix: string): void {
    this.generation += 1;
    for (const [url, entry] of this.entries) if (url.startsWith(pathPrefix)) entry.expiresAt = 0;
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' || req.headers.authorization !== undefined || req.url.includes('?')) return next();
    const entry = this.entries.get(req.url);
    const now = Date.now();
    if (entry && now < entry.expiresAt && (entry.refreshing || entry.expiresAt - now > REFRESH_AHEAD_MS)) {
      const startedAt = process.hrtime.bigint();
      const verdict = entry.rateLimit ? this.count(entry.rateLimit, req) : null;
      // Over the limit, the full pipeline answers the 429 (and counts the request again: it is over anyway).
      if (verdict instanceof Promise) void verdict.then((refused) => (refused ? next() : this.serve(entry, req, res, startedAt)), next);
      else if (verdict) next();
      else this.serve(entry, req, res, startedAt);
      return;
    }
    if (entry) {
      // This request fetches the next copy. Unconditionally, or a verifier's If-None-Match would get a 304 that
      // cannot be stored, and a URL asked only conditionally would never be kept again; a 200 is a valid answer to it.
      delete req.headers['if-none-match'];
      if (now < entry.expiresAt) {
        entry.refreshing = true;
        res.once('close', () => (entry.refreshing = false)); // stored or not, the next request may try again
      }
    }
    this.capture(req, res);
    next();
  };

  private count(spec: RateLimitSpec, req: Request): RateVerdict | Promise<RateVerdict> {
    const { max, windowSeconds } = this.limits(spec);
    return this.limiter.check(rateLimitKey(spec, req), max, windowSeconds, spec.what);
  }

  private serve(entry: Entry, req: Request, res: Response, startedAt: bigint): void {
    const requestId = this.observer.requestId(req, res);
    const notModified = entry.etag !== undefined && notModifiedFor(req, entry.etag);
    for (const [name, value] of entry.headers) {
      if (value !== undefined && !(notModified && NOT_IN_304.has(name))) res.setHeader(name, value);
    }
    res.setHeader('Age', String(Math.floor((Date.now() - entry.storedAt) / 1000)));
    if (notModified) {
      res.statusCode = 304;
      res.end();
    } else {
      res.statusCode = entry.status;
      res.setHeader('Content-Length', entry.body.length);
      res.end(entry.body);
    }
    this.observer.answered(req, res, entry.route, requestId, startedAt);
  }

  /** Keeps the answer the pipeline gives, when its route allowed it and nothing changed it meanwhile. */
  private capture(req: Request, res: Response): void {
    const generation = this.generation;
    const url = req.url;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    res.end = ((...args: unknown[]) => {
      const seconds = (res as Response & { [SHARED_SECONDS]?: number })[SHARED_SECONDS];
      const [chunk, encoding] = args;
      if (seconds && seconds > 0 && res.statusCode === 200 && generation === this.generation && !res.hasHeader('set-cookie') && chunk) {
        const body = Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
        this.store(url, {
          status: 200,
          headers: Object.entries(res.getHeaders()).filter(([name]) => !NOT_STORED.has(name)),
          body,
          etag: res.getHeader('etag') as string | undefined,
          route: this.observer.route(req, res),
          rateLimit: rateLimitOf(req),
          storedAt: Date.now(),
          expiresAt: Date.now() + seconds * 1000,
          refreshing: false,
        });
      }
      return end(...args);
    }) as Response['end'];
  }

  private store(url: string, entry: Entry): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(url)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(url, entry);
  }
}

/**
 * Whether the request's If-None-Match names `etag` (RFC 9110 13.1.2: weak comparison, a list, or `*`), as Express's
 * `res.send` decides it for the same route; a request sent with `Cache-Control: no-cache` always gets the body.
 */
export function notModifiedFor(req: Request, etag: string): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (!ifNoneMatch) return false;
  if (/(?:^|,)\s*no-cache\s*(?:,|$)/.test(req.headers['cache-control'] ?? '')) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === opaque);
}
