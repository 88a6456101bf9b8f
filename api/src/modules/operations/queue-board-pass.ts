import { createHmac, timingSafeEqual } from 'node:crypto';

/** The cookie that lets a browser open the queue board: HttpOnly, SameSite=Strict, sent to /admin/queues only. */
export const QUEUE_BOARD_COOKIE = 'psf_queue_board';
export const QUEUE_BOARD_PATH = '/admin/queues';
const PASS_VERSION = 'b1';

/** Who a pass is for: one session of one person, until a moment no later than the end of their step-up window. */
export interface QueueBoardPass {
  sessionId: string;
  userId: string;
  expiresAt: Date;
}

/** The signing key of passes, derived from JWT_SECRET for this use only (a pass is never a valid token, nor the reverse). */
export function queueBoardKey(jwtSecret: string): Buffer {
  return createHmac('sha256', jwtSecret).update('psf queue board pass v1').digest();
}

function signature(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}

/** The cookie value of a pass: `b1.<session>.<user>.<expiry in epoch seconds>.<HMAC of the rest>`. */
export function signQueueBoardPass(key: Buffer, pass: QueueBoardPass): string {
  const body = `${PASS_VERSION}.${pass.sessionId}.${pass.userId}.${Math.floor(pass.expiresAt.getTime() / 1000)}`;
  return `${body}.${signature(key, body)}`;
}

/** The pass a cookie value holds when this server signed it and it has not expired; null for anything else. */
export function readQueueBoardPass(key: Buffer, value: unknown, now = Date.now()): QueueBoardPass | null {
  if (typeof value !== 'string' || value.length > 300) return null;
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== PASS_VERSION || !/^\d{1,12}$/.test(parts[3])) return null;
  const expected = Buffer.from(signature(key, parts.slice(0, 4).join('.')));
  const given = Buffer.from(parts[4]);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const expiresAt = new Date(Number(parts[3]) * 1000);
  if (expiresAt.getTime() <= now) return null;
  return { sessionId: parts[1], userId: parts[2], expiresAt };
}
