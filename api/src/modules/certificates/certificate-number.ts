import { randomInt } from 'node:crypto';

// Crockford's base32 letters minus Z: 31 symbols, a prime count, with no I, L, O or U, so the
// number survives being read aloud or retyped and every character is safe in a URL.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXY';
const BASE = ALPHABET.length; // 31, prime
const BODY_LENGTH = 10;

/**
 * Weighted sum mod 31 with weights 1…10: every weight is invertible mod 31, so any single
 * substituted character changes the check, and so does swapping two adjacent characters.
 */
export function checkSymbol(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (i + 1) * ALPHABET.indexOf(body[i]);
  return ALPHABET[sum % BASE];
}

/** A random, non-sequential public number with a check character: PSF-XXXXX-XXXXX-C (≈49 random bits). */
export function newCertificateNumber(rng: (n: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[rng(BASE)];
  return `PSF-${body.slice(0, 5)}-${body.slice(5)}-${checkSymbol(body)}`;
}

export type NumberCheck = { ok: true; number: string } | { ok: false; reason: 'format' | 'check' };

/** Normalises what a person typed (case, spaces, look-alike letters) and verifies the check character. */
export function checkCertificateNumber(input: string): NumberCheck {
  const cleaned = input.toUpperCase().replace(/[\s-]/g, '').replace(/^PSF/, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (cleaned.length !== BODY_LENGTH + 1 || [...cleaned].some((c) => !ALPHABET.includes(c))) return { ok: false, reason: 'format' };
  const body = cleaned.slice(0, BODY_LENGTH);
  const check = cleaned.slice(BODY_LENGTH);
  if (checkSymbol(body) !== check) return { ok: false, reason: 'check' };
  return { ok: true, number: `PSF-${body.slice(0, 5)}-${body.slice(5)}-${check}` };
}
