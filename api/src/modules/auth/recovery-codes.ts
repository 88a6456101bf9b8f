import { createHash, randomBytes } from 'node:crypto';
import { base32Encode } from '../../common/auth/totp';

/** How many one-time recovery codes an account gets at a time (shown once, stored hashed). */
export const RECOVERY_CODE_COUNT = 10;

/** Ten random base32 characters (50 bits) shown as `xxxxx-xxxxx`, lowercase. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const chars = base32Encode(randomBytes(7)).slice(0, 10).toLowerCase();
    codes.add(`${chars.slice(0, 5)}-${chars.slice(5)}`);
  }
  return [...codes];
}

/** The canonical form of what someone typed (any case, hyphen and spaces optional), or null when it cannot be a recovery code. */
export function normaliseRecoveryCode(input: string): string | null {
  const chars = input.replace(/[\s-]/g, '').toLowerCase();
  return /^[a-z2-7]{10}$/.test(chars) ? `${chars.slice(0, 5)}-${chars.slice(5)}` : null;
}

/** Stored form: SHA-256 of the owner and the code, so one table-wide guess cannot test every account at once. */
export function hashRecoveryCode(userId: string, code: string): string {
  return createHash('sha256').update(`${userId}:${code}`).digest('hex');
}
