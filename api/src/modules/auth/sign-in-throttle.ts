import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Response } from 'express';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { progressiveDelaySeconds, RateLimiter, secondsUntil } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';

export const DEVICE_COOKIE = 'psf_device';
const DEVICE_COOKIE_VERSION = 'd1';

/** One failure counter a sign-in is judged on, and how many failures it lets through before waits begin. */
export interface SignInCounter {
  key: string;
  free: number;
}

/** Who is signing in, as far as throttling cares. */
export interface SignInSource {
  ip: string;
  /** The device cookie, when it is valid for the account being signed in to: that browser's own id. */
  deviceId: string | null;
}

/**
 * Sign-in throttling by progressive delay, not a lock (issue #14). Failures are counted per account and per
 * client address; past the free ones each failure doubles the wait before the next attempt (1 s, 2 s, 4 s …
 * up to LOGIN_MAX_DELAY_SECONDS), answered 429 with Retry-After. A browser that signed in to the account
 * before holds a signed device cookie (OWASP "device cookies"): its sign-ins are judged on its own failures
 * only, so a stranger guessing the password elsewhere cannot keep the owner out.
 */
@Injectable()
export class SignInThrottle {
  private readonly deviceKey: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimiter: RateLimiter,
  ) {
    this.deviceKey = createHmac('sha256', config.jwtSecret).update('psf device cookie v1').digest();
  }

  /** The counters of a password sign-in: the device's own when it presents a valid device cookie, else the account's and the address'. */
  passwordCounters(email: string, source: SignInSource): SignInCounter[] {
    const { maxFailuresPerAccount, maxFailuresPerIp } = this.config.loginThrottle;
    if (source.deviceId) return [{ key: deviceThrottleKey(source.deviceId), free: maxFailuresPerAccount }];
    return [
      { key: accountThrottleKey(email), free: maxFailuresPerAccount },
      { key: ipThrottleKey(source.ip), free: maxFailuresPerIp },
    ];
  }

  /** A passkey sign-in names no account before it is checked: only the address counts (shared with password sign-in). */
  passkeyCounters(ip: string): SignInCounter[] {
    return [{ key: ipThrottleKey(ip), free: this.config.loginThrottle.maxFailuresPerIp }];
  }

  /** 429 with Retry-After while any counter still makes this source wait; no password is checked meanwhile. */
  async refuseWhileWaiting(counters: SignInCounter[]): Promise<void> {
    const { windowSeconds, delayBaseSeconds, maxDelaySeconds } = this.config.loginThrottle;
    const windows = await Promise.all(counters.map((c) => this.rateLimiter.peek(c.key, windowSeconds)));
    const waitUntil = windows
      .map((w, i) => {
        const delay = progressiveDelaySeconds(w.hits, counters[i].free, delayBaseSeconds, maxDelaySeconds);
        return delay && w.lastHitAt ? w.lastHitAt.getTime() + delay * 1000 : 0;
      })
      .filter((until) => until > Date.now());
    if (!waitUntil.length) return;
    const retryAfter = secondsUntil(Math.max(...waitUntil));
    throw new TooManyRequestsException(`Too many failed sign-in attempts; try again in ${retryAfter} seconds`, retryAfter);
  }

  async recordFailure(counters: SignInCounter[]): Promise<void> {
    const { windowSeconds } = this.config.loginThrottle;
    await Promise.all(counters.map((c) => this.rateLimiter.hit(c.key, windowSeconds)));
  }

  /**
   * A complete sign-in clears the failures it was judged on that belong to the person: the device's own, or
   * the account's (never the address', which others may share).
   */
  async recordSuccess(email: string, source: SignInSource): Promise<void> {
    await this.rateLimiter.reset(source.deviceId ? deviceThrottleKey(source.deviceId) : accountThrottleKey(email));
  }

  /** The device id of a cookie signed by this server for this account; null for a missing, forged or other account's cookie. */
  deviceOf(cookie: string | undefined, userId: string): string | null {
    const parts = typeof cookie === 'string' ? cookie.split('.') : [];
    if (parts.length !== 4 || parts[0] !== DEVICE_COOKIE_VERSION || parts[1] !== userId) return null;
    const expected = Buffer.from(this.sign(parts[1], parts[2]));
    const given = Buffer.from(parts[3]);
    return expected.length === given.length && timingSafeEqual(expected, given) ? parts[2] : null;
  }

  /** A device cookie for the account: the same device id when the browser already had one for it, else a new one. */
  deviceCookieFor(userId: string, deviceId: string | null): string {
    const id = deviceId ?? randomUUID();
    return `${DEVICE_COOKIE_VERSION}.${userId}.${id}.${this.sign(userId, id)}`;
  }

  setDeviceCookie(res: Response, value: string): void {
    const options: CookieOptions = {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
      path: '/api/auth',
      maxAge: this.config.loginThrottle.deviceCookieDays * 86_400_000,
    };
    res.cookie(DEVICE_COOKIE, value, options);
  }

  private sign(userId: string, deviceId: string): string {
    return createHmac('sha256', this.deviceKey).update(`${DEVICE_COOKIE_VERSION}.${userId}.${deviceId}`).digest('base64url');
  }
}

export function accountThrottleKey(email: string): string {
  return `login:account:${email}`;
}

/** The same per-address counter for password and passkey sign-in: both kinds of failure share one limit. */
export function ipThrottleKey(ip: string): string {
  return `login:ip:${ip}`;
}

function deviceThrottleKey(deviceId: string): string {
  return `login:device:${deviceId}`;
}
