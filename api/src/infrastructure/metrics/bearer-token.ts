import { createHash, timingSafeEqual } from 'node:crypto';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * Whether an Authorization header carries `Bearer <expected>`, compared in constant time: both sides are
 * hashed first, so neither the token's characters nor its length show in how long the answer takes.
 */
export function bearerTokenMatches(authorization: string | undefined, expected: string): boolean {
  const given = BEARER.exec(authorization ?? '')?.[1];
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const equal = timingSafeEqual(digest(given ?? ''), digest(expected));
  return given !== undefined && equal;
}
