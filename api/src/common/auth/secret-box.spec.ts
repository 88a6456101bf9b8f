import { SecretBox } from './secret-box';

const ROOT = 'a root secret of at least thirty-two characters';

describe('SecretBox (AES-256-GCM under an HKDF-derived key)', () => {
  const box = new SecretBox(ROOT, 'psf test v1');

  it('opens what it sealed, and seals the same text differently each time', () => {
    const a = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    const b = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(box.open(a, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(box.open(b, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses a value whose ciphertext, nonce or tag was altered', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP');
    const parts = sealed.split('.');
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 1;
      const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
      expect(() => box.open(tampered)).toThrow();
    }
  });

  it('refuses a value moved to another owner (context), sealed under another key or label, or not sealed at all', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1');
    expect(() => box.open(sealed, 'user-2')).toThrow();
    expect(() => new SecretBox(`${ROOT}!`, 'psf test v1').open(sealed, 'user-1')).toThrow();
    expect(() => new SecretBox(ROOT, 'psf other v1').open(sealed, 'user-1')).toThrow();
    expect(() => box.open('JBSWY3DPEHPK3PXP')).toThrow(/not a sealed value/);
    expect(() => box.open('v1.a.b')).toThrow(/not a sealed value/);
  });

  it('needs a root secret of at least 32 characters', () => {
    expect(() => new SecretBox('too short', 'psf test v1')).toThrow(/32/);
  });
});
