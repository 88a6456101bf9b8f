import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../test-support/memory-storage';
import type * as SessionModule from './session';

let session: typeof SessionModule;
beforeAll(async () => {
  // The session module imports the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  session = await import('./session');
});

const user = (roles: SessionModule.Role[], factors: { totp: boolean; required: boolean; passkey?: boolean }): SessionModule.User => ({
  id: 'u-1',
  email: 'ada@example.org',
  fullName: 'Ada Lovelace',
  roles,
  emailVerified: true,
  secondFactor: { passkey: false, ...factors, enabled: factors.totp || Boolean(factors.passkey) },
});

describe('needsSecondFactor', () => {
  it('holds a staff account without TOTP until it enrols', () => {
    expect(session.needsSecondFactor(user(['admin'], { totp: false, required: true }))).toBe(true);
    expect(session.needsSecondFactor(user(['reviewer'], { totp: false, required: true }))).toBe(true);
  });

  it('lets a staff account with TOTP through', () => {
    expect(session.needsSecondFactor(user(['admin'], { totp: true, required: true }))).toBe(false);
  });

  it('lets a staff account with a passkey and no TOTP through', () => {
    expect(session.needsSecondFactor(user(['reviewer'], { totp: false, passkey: true, required: true }))).toBe(false);
  });

  it('never holds a candidate, with or without TOTP', () => {
    expect(session.needsSecondFactor(user(['candidate'], { totp: false, required: false }))).toBe(false);
    expect(session.needsSecondFactor(user(['candidate'], { totp: true, required: false }))).toBe(false);
  });
});

describe('homePathFor', () => {
  it('sends each role to its own home, the most privileged first', () => {
    expect(session.homePathFor(user(['candidate'], { totp: false, required: false }))).toBe('/candidate');
    expect(session.homePathFor(user(['candidate', 'reviewer'], { totp: true, required: true }))).toBe('/reviewer');
    expect(session.homePathFor(user(['reviewer', 'admin'], { totp: true, required: true }))).toBe('/admin');
  });
});

describe('restoreThroughOutage', () => {
  it('keeps trying while the server cannot be reached, and stops at the first answer', async () => {
    const outcomes: Array<'unavailable' | 'refreshed'> = ['unavailable', 'unavailable', 'refreshed'];
    const restore = vi.fn(async () => outcomes.shift()!);
    await expect(session.restoreThroughOutage(restore, () => false, { waitMs: 1 })).resolves.toBe('refreshed');
    expect(restore).toHaveBeenCalledTimes(3);
  });

  it('takes an ended session at once, without retrying', async () => {
    const restore = vi.fn(async () => 'ended' as const);
    await expect(session.restoreThroughOutage(restore, () => false, { waitMs: 1 })).resolves.toBe('ended');
    expect(restore).toHaveBeenCalledTimes(1);
  });

  it('gives up after its tries, or when the page is gone', async () => {
    const restore = vi.fn(async () => 'unavailable' as const);
    await expect(session.restoreThroughOutage(restore, () => false, { tries: 3, waitMs: 1 })).resolves.toBe('unavailable');
    expect(restore).toHaveBeenCalledTimes(3);
    restore.mockClear();
    await session.restoreThroughOutage(restore, () => true, { tries: 3, waitMs: 1 });
    expect(restore).toHaveBeenCalledTimes(1);
  });
});
