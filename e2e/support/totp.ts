import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { stateFile } from './platform';

/**
 * RFC 6238 codes for the test accounts (SHA-1, 6 digits, 30-second steps). The server accepts the
 * previous, current and next step but never the same step twice for one account, so the last step
 * used for each secret is kept in a file beside the run's state (every spec file gets fresh module
 * state, the run shares the file) and each code takes the lowest step still free.
 */
const STEP_SECONDS = 30;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// A previous-step code is used only while it stays valid this long: time for the request to arrive.
const MARGIN_SECONDS = 4;

export function newTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

export function base32Encode(bytes: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export function base32Decode(text: string): Buffer {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The code of one 30-second step (RFC 4226 dynamic truncation). */
export function totpAt(secret: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const hmac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = hmac[hmac.length - 1] & 0x0f;
  const binary = (hmac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(binary).padStart(6, '0');
}

const stepsFile = () => `${stateFile()}.totp-steps.json`;

function lastSteps(): Record<string, number> {
  return existsSync(stepsFile()) ? (JSON.parse(readFileSync(stepsFile(), 'utf8')) as Record<string, number>) : {};
}

/** A code the server will take now, never for a step already used with this secret; waits for the next step when none is free. */
export async function totpCode(secret: string): Promise<string> {
  const key = secret.replace(/\s/g, '').toUpperCase();
  for (;;) {
    const now = Date.now() / 1000;
    const lowest = Math.floor((now + MARGIN_SECONDS) / STEP_SECONDS) - 1;
    const highest = Math.floor(now / STEP_SECONDS) + 1;
    const steps = lastSteps();
    const step = Math.max(lowest, (steps[key] ?? -Infinity) + 1);
    if (step <= highest) {
      writeFileSync(stepsFile(), JSON.stringify({ ...steps, [key]: step }));
      return totpAt(key, step);
    }
    // Every usable step is taken: wait until the step after them is accepted.
    const wait = (step - 1) * STEP_SECONDS - now;
    await new Promise((r) => setTimeout(r, Math.max(100, wait * 1000 + 200)));
  }
}
