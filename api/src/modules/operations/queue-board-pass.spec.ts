import { queueBoardKey, readQueueBoardPass, signQueueBoardPass } from './queue-board-pass';

describe('queue board pass (the cookie that opens /admin/queues)', () => {
  const key = queueBoardKey('a'.repeat(64));
  const pass = {
    sessionId: '0b7e8a3c-5d43-4a8e-9d8f-2f5b1c6e7a90',
    userId: '9e1f2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f',
    expiresAt: new Date(Date.now() + 10 * 60_000),
  };

  it('reads back the session, the person and the expiry (to the second) of a pass it signed', () => {
    const read = readQueueBoardPass(key, signQueueBoardPass(key, pass));
    expect(read).toEqual({
      sessionId: pass.sessionId,
      userId: pass.userId,
      expiresAt: new Date(Math.floor(pass.expiresAt.getTime() / 1000) * 1000),
    });
  });

  it('refuses an expired pass', () => {
    const value = signQueueBoardPass(key, { ...pass, expiresAt: new Date(Date.now() - 1000) });
    expect(readQueueBoardPass(key, value)).toBeNull();
    expect(readQueueBoardPass(key, signQueueBoardPass(key, pass), pass.expiresAt.getTime() + 1000)).toBeNull();
  });

  it('refuses a pass with any part changed, e.g. a later expiry or another session', () => {
    const [version, session, user, expiry, mac] = signQueueBoardPass(key, pass).split('.');
    expect(readQueueBoardPass(key, [version, session, user, String(Number(expiry) + 3600), mac].join('.'))).toBeNull();
    expect(readQueueBoardPass(key, [version, pass.userId, user, expiry, mac].join('.'))).toBeNull();
    // Another last character (one that differs from the real one: a fixed 'A' left 1 in 64 MACs unchanged).
    const forged = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    expect(forged).not.toBe(mac);
    expect(readQueueBoardPass(key, [version, session, user, expiry, forged].join('.'))).toBeNull();
  });

  it('refuses a pass signed with another key (another deployment, or JWT_SECRET rotated)', () => {
    expect(readQueueBoardPass(queueBoardKey('b'.repeat(64)), signQueueBoardPass(key, pass))).toBeNull();
  });

  it('refuses garbage without throwing', () => {
    for (const value of [undefined, '', 'b1', 'b1.a.b.c.d', 'x'.repeat(1000), 42, 'b1.s.u.notanumber.mac']) {
      expect(readQueueBoardPass(key, value)).toBeNull();
    }
  });
});
