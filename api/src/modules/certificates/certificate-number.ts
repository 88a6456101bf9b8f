import { randomInt } from 'node:crypto';

// Crockford base32: no I, L, O, U, so the number survives being read aloud or retyped.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
// Crockford's check symbols: value mod 37, with five extra symbols for 32–36.
const CHECK_SYMBOLS = `${ALPHABET}*~$=U`;
const BODY_LENGTH = 10;

function valueOf(body: string): bigint {
  let v = 0n;
  for (const c of body) v = v * 32n + BigInt(ALPHABET.indexOf(c));
  return v;
}

export function checkSymbol(body: string): string {
  return CHECK_SYMBOLS[Number(valueOf(body) % 37n)];
}

/** A random, non-sequential public number with a check character: PSF-XXXXX-XXXXX-C (50 random bits). */
export function newCertificateNumber(rng: (n: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < BODY_LENGTH; i++) body += ALPHABET[rng(32)];
  return `PSF-${body.slice(0, 5)}-${body.slice(5)}-${checkSymbol(body)}`;
}

export type NumberCheck = { ok: true; number: string } | { ok: false; reason: 'format' | 'check' };

/** Normalises what a person typed (case, spaces, look-alike letters) and verifies the check character. */
export function checkCertificateNumber(input: string): NumberCheck {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/^PSF/, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (cleaned.length !== BODY_LENGTH + 1) return { ok: false, reason: 'format' };
  const body = cleaned.slice(0, BODY_LENGTH);
  const check = cleaned.slice(BODY_LENGTH);
  if ([...body].some((c) => !ALPHABET.includes(c))) return { ok: false, reason: 'format' };
  if (checkSymbol(body) !== check) return { ok: false, reason: 'check' };
  return { ok: true, number: `PSF-${body.slice(0, 5)}-${body.slice(5)}-${check}` };
}
