import type { AuthUser } from '../../common/auth/auth-user';
import type { AppConfig } from '../../infrastructure/config/app-config';
import { SessionCheckCache } from './session-check-cache';

const T0 = 1_000_000;
const FAR = new Date(T0 + 86_400_000);

function cacheWith(seconds: number) {
  const config = { sessions: { checkCacheSeconds: seconds } } as AppConfig;
  return { config, cache: new SessionCheckCache(config) };
}

const candidate = (over: Partial<AuthUser> = {}): AuthUser => ({
  id: 'u1',
  email: 'c@example.org',
  fullName: 'C',
  roles: ['candidate'],
  emailVerified: true,
  sessionFamilyId: 's1',
  ...over,
});

describe('SessionCheckCache', () => {
  it('remembers a candidate’s check for the cache time, never past the session’s end, and only for its user', () => {
    const { cache } = cacheWith(5);
    cache.remember(candidate(), FAR, T0);
    expect(cache.lookup('s1', 'u1', T0 + 4_999)).toMatchObject({ id: 'u1', sessionFamilyId: 's1' });
    expect(cache.lookup('s1', 'someone-else', T0 + 1)).toBeUndefined();
    cache.remember(candidate(), FAR, T0);
    expect(cache.lookup('s1', 'u1', T0 + 5_000)).toBeUndefined();

    cache.remember(candidate({ sessionFamilyId: 's2' }), new Date(T0 + 2_000), T0);
    expect(cache.lookup('s2', 'u1', T0 + 1_999)).toBeDefined();
    expect(cache.lookup('s2', 'u1', T0 + 2_000)).toBeUndefined();
  });

  it('hands out copies: a handler changing its user does not change the next request’s', () => {
    const { cache } = cacheWith(5);
    cache.remember(candidate(), FAR, T0);
    cache.lookup('s1', 'u1', T0 + 1)!.roles.push('admin');
    (cache.lookup('s1', 'u1', T0 + 1) as { fullName: string }).fullName = 'changed';
    expect(cache.lookup('s1', 'u1', T0 + 2)).toMatchObject({ fullName: 'C' });
  });

  it('never remembers staff sessions', () => {
    const { cache } = cacheWith(5);
    cache.remember(candidate({ roles: ['reviewer'] }), FAR, T0);
    cache.remember(candidate({ id: 'u2', sessionFamilyId: 's2', roles: ['candidate', 'admin'] }), FAR, T0);
    expect(cache.lookup('s1', 'u1', T0 + 1)).toBeUndefined();
    expect(cache.lookup('s2', 'u2', T0 + 1)).toBeUndefined();
  });

  it('0 seconds turns it off, also for entries made before the change', () => {
    const { cache, config } = cacheWith(5);
    cache.remember(candidate(), FAR, T0);
    config.sessions.checkCacheSeconds = 0;
    expect(cache.lookup('s1', 'u1', T0 + 1)).toBeUndefined();
    cache.remember(candidate(), FAR, T0);
    expect(cache.lookup('s1', 'u1', T0 + 1)).toBeUndefined();
  });

  it('forgets a session at once, and keeps no check of it for the cache time (one may have read the row before the change committed)', () => {
    const { cache } = cacheWith(5);
    cache.remember(candidate(), FAR, T0);
    cache.remember(candidate({ sessionFamilyId: 's2' }), FAR, T0);
    cache.forgetSession('s1', T0 + 100);
    expect(cache.lookup('s1', 'u1', T0 + 100)).toBeUndefined();
    expect(cache.lookup('s2', 'u1', T0 + 100)).toBeDefined();
    cache.remember(candidate(), FAR, T0 + 200);
    expect(cache.lookup('s1', 'u1', T0 + 300)).toBeUndefined();
    cache.remember(candidate(), FAR, T0 + 5_100);
    expect(cache.lookup('s1', 'u1', T0 + 5_200)).toBeDefined();
  });

  it('forgets every session of a person, and only theirs', () => {
    const { cache } = cacheWith(5);
    cache.remember(candidate(), FAR, T0);
    cache.remember(candidate({ sessionFamilyId: 's2' }), FAR, T0);
    cache.remember(candidate({ id: 'u2', sessionFamilyId: 's3' }), FAR, T0);
    cache.forgetUser('u1', T0 + 10);
    expect(cache.lookup('s1', 'u1', T0 + 10)).toBeUndefined();
    expect(cache.lookup('s2', 'u1', T0 + 10)).toBeUndefined();
    expect(cache.lookup('s3', 'u2', T0 + 10)).toBeDefined();
    cache.remember(candidate({ sessionFamilyId: 's2' }), FAR, T0 + 20);
    expect(cache.lookup('s2', 'u1', T0 + 30)).toBeUndefined();
  });
});
