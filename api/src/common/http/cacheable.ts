import { ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash } from 'node:crypto';
import { allowSharedCaching } from './shared-response-cache';

/**
 * A response body serialised once, with the strong ETag of its exact bytes: a route whose body is fixed for
 * the process (the framework) builds it once and answers every request, 304s included, without rebuilding it.
 */
export class CacheableBody {
  /** Quoted base64url SHA-256 of the body (128 bits are plenty to tell two versions of one resource apart). */
  readonly etag: string;

  private constructor(
    readonly text: string,
    readonly contentType: string,
  ) {
    this.etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`;
  }

  /** `value` as the JSON `res.json` would send (the same bytes: no replacer, no indentation). */
  static json(value: unknown): CacheableBody {
    return new CacheableBody(JSON.stringify(value), 'application/json');
  }

  static text(text: string, contentType: string): CacheableBody {
    return new CacheableBody(text, contentType);
  }
}

/**
 * Prepares the answer of a `@Res({ passthrough: true })` route that verifiers and browsers may cache: sets the
 * body's ETag, `cacheControl` and its Content-Type, and returns the text for the route to return. Express's
 * `res.send` then answers 304 with no body when the request's If-None-Match names that ETag (it compares by
 * RFC 9110's rules: lists, `*`, `W/` prefixes; a request with `Cache-Control: no-cache` always gets the body),
 * and keeps this strong ETag instead of generating its weak one. Headers are set only on success: a 404 or 429
 * raised before this is never cached. `shared` (seconds) lets this replica answer the same URL from memory
 * (SharedResponseCache): only for answers that are the same for everybody, and never longer than cacheControl's max-age.
 */
export function sendCacheable(res: Response, body: CacheableBody, cacheControl: string, options: { shared?: number } = {}): string {
  if (options.shared) allowSharedCaching(res, options.shared);
  res.setHeader('Content-Type', body.contentType);
  res.setHeader('ETag', body.etag);
  res.setHeader('Cache-Control', cacheControl);
  return body.text;
}

/** Documents the 304 a route answered through `sendCacheable` gives to a conditional request. */
export const ApiNotModifiedResponse = () =>
  ApiResponse({
    status: 304,
    description: 'the `If-None-Match` request header names the current `ETag`: the copy the client holds is current (no body)',
    headers: {
      ETag: { description: 'the strong validator of the current body', schema: { type: 'string' } },
      'Cache-Control': { description: 'how long the copy may be used without asking again', schema: { type: 'string' } },
    },
  });
