import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import type { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { accountThrottleKey } from './sign-in-throttle';

export interface ReauthLimits {
  windowSeconds: number;
  maxFailuresPerAccount: number;
}

/** Where the wrong secrets a session owner re-enters (current password, step-up code) are counted. */
const reauthKey = (userId: string) => `reauth:user:${userId}`;

/**
 * Secrets re-entered inside a signed-in session are limited by that session owner's own wrong entries
 * only: the per-account count of failed sign-ins, which anyone can raise by typing the address at the
 * sign-in page, never blocks the owner from changing their password, their address or their data.
 */
export async function assertReauthAllowed(
  limiter: RateLimiter,
  limits: ReauthLimits,
  userId: string,
  what = 'failed attempts',
): Promise<void> {
  const window = await limiter.peek(reauthKey(userId), limits.windowSeconds);
  if (window.hits >= limits.maxFailuresPerAccount) {
    const retryAfter = Math.max(1, Math.ceil((window.resetsAt.getTime() - Date.now()) / 1000));
    throw new TooManyRequestsException(`Too many ${what}; try again in ${retryAfter} seconds`, retryAfter);
  }
}

/**
 * A wrong secret in a session counts there, and also like a failed sign-in to the account (from devices
 * that never signed in to it), so a stolen session cannot guess the password and then sign in elsewhere.
 */
export async function recordReauthFailure(limiter: RateLimiter, limits: ReauthLimits, user: { id: string; email: string }): Promise<void> {
  await limiter.hit(reauthKey(user.id), limits.windowSeconds);
  await limiter.hit(accountThrottleKey(user.email), limits.windowSeconds);
}

/**
 * A refused passkey step-up counts against the session owner's re-entries only: no secret was guessed
 * (a passkey's signature cannot be), so it says nothing about the password, but a session that keeps
 * sending refused assertions is stopped like one that keeps typing wrong codes.
 */
export async function recordStepUpRefusal(limiter: RateLimiter, limits: ReauthLimits, userId: string): Promise<void> {
  await limiter.hit(reauthKey(userId), limits.windowSeconds);
}
