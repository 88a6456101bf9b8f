import { base32Decode, base32Encode, generateTotpSecret, hotp, isUsableTotpSecret, matchTotp, otpauthUri, totp, totpStep } from './totp';

// RFC 6238 Appendix B (SHA-1 rows): the seed is the ASCII string "12345678901234567890", codes have 8 digits.
const RFC6238_SEED = Buffer.from('12345678901234567890', 'ascii');
const RFC6238_SHA1: Array<[seconds: number, code: string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

// RFC 4226 Appendix D: HOTP values of the same seed for counters 0..9 (6 digits).
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];

describe('TOTP (RFC 6238, SHA-1)', () => {
  it.each(RFC6238_SHA1)('gives the RFC 6238 test vector at T = %d s', (seconds, code) => {
    expect(totp(RFC6238_SEED, seconds * 1000, 8)).toBe(code);
  });

  it('gives the RFC 4226 HOTP test vectors for counters 0 to 9', () => {
    expect(RFC4226.map((_, counter) => hotp(RFC6238_SEED, counter))).toEqual(RFC4226);
  });

  it('counts 30-second steps from the Unix epoch', () => {
    expect(totpStep(0)).toBe(0);
    expect(totpStep(29_999)).toBe(0);
    expect(totpStep(30_000)).toBe(1);
    expect(totpStep(59_000)).toBe(1);
  });

  it('accepts the previous, current and next step and nothing further, answering which step matched', () => {
    const now = 1_111_111_111_000;
    const step = totpStep(now);
    for (const offset of [-1, 0, 1]) {
      expect(matchTotp(RFC6238_SEED, hotp(RFC6238_SEED, step + offset), now)).toBe(step + offset);
    }
    expect(matchTotp(RFC6238_SEED, hotp(RFC6238_SEED, step - 2), now)).toBeNull();
    expect(matchTotp(RFC6238_SEED, hotp(RFC6238_SEED, step + 2), now)).toBeNull();
  });

  it('refuses anything that is not six digits', () => {
    const now = Date.now();
    const code = totp(RFC6238_SEED, now);
    expect(matchTotp(RFC6238_SEED, ` ${code}`, now)).toBeNull();
    expect(matchTotp(RFC6238_SEED, `${code}0`, now)).toBeNull();
    expect(matchTotp(RFC6238_SEED, '', now)).toBeNull();
    expect(matchTotp(RFC6238_SEED, 'abcdef', now)).toBeNull();
  });
});

describe('base32 (RFC 4648)', () => {
  // RFC 4648 §10 test vectors, without padding.
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('encodes %j as %s and back', (plain, encoded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(encoded);
    expect(base32Decode(encoded).toString()).toBe(plain);
  });

  it('decodes regardless of case, spaces, hyphens and padding', () => {
    expect(base32Decode('mzxw 6ytb-oi======').toString()).toBe('foobar');
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('MZXW1')).toThrow(/base32/);
    expect(() => base32Decode('MZXW8')).toThrow(/base32/);
  });

  it('accepts secrets of at least 80 bits only', () => {
    expect(isUsableTotpSecret('JBSWY3DPEHPK3PXP')).toBe(true);
    expect(isUsableTotpSecret('JBSWY3DPEHPK3P')).toBe(false);
    expect(isUsableTotpSecret('JBSWY3DPEHPK3PX!')).toBe(false);
  });

  it('generates 160-bit secrets that round-trip', () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});

describe('otpauth URI', () => {
  it('names the issuer and the account and carries the parameters authenticator apps read', () => {
    const uri = otpauthUri('JBSWY3DPEHPK3PXP', 'ada@example.org', 'PSF Certification Body');
    expect(uri).toBe(
      'otpauth://totp/PSF%20Certification%20Body:ada%40example.org' +
        '?secret=JBSWY3DPEHPK3PXP&issuer=PSF%20Certification%20Body&algorithm=SHA1&digits=6&period=30',
    );
  });
});
