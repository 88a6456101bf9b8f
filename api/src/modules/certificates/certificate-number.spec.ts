import { checkCertificateNumber, newCertificateNumber } from './certificate-number';

describe('certificate numbers', () => {
  it('look like PSF-XXXXX-XXXXX-C and verify', () => {
    const n = newCertificateNumber();
    expect(n).toMatch(/^PSF-[0-9A-HJKMNP-TV-Y]{5}-[0-9A-HJKMNP-TV-Y]{5}-[0-9A-HJKMNP-TV-Y]$/);
    expect(checkCertificateNumber(n)).toEqual({ ok: true, number: n });
  });

  it('are not sequential', () => {
    const many = new Set(Array.from({ length: 1000 }, () => newCertificateNumber()));
    expect(many.size).toBe(1000);
  });

  it('accept what people type: lower case, spaces, O for 0, I or L for 1', () => {
    const valid = newCertificateNumberWithBody('0A1B2C3D4E');
    expect(checkCertificateNumber(valid.toLowerCase().replace(/-/g, ' '))).toEqual({ ok: true, number: valid });
    expect(checkCertificateNumber(valid.replace('0A1', 'OAI'))).toEqual({ ok: true, number: valid });
  });

  it('detect every single-character typo and adjacent swap', () => {
    const n = newCertificateNumber();
    const body = n.replace(/-/g, '').slice(3, 13);
    const check = n.slice(-1);
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXY';
    for (let i = 0; i < body.length; i++) {
      for (const c of alphabet) {
        if (c === body[i]) continue;
        const typo = body.slice(0, i) + c + body.slice(i + 1);
        expect(checkCertificateNumber(`PSF${typo}${check}`)).toEqual({ ok: false, reason: 'check' });
      }
      if (i + 1 < body.length && body[i] !== body[i + 1]) {
        const swapped = body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2);
        expect(checkCertificateNumber(`PSF${swapped}${check}`)).toEqual({ ok: false, reason: 'check' });
      }
    }
  });

  it('reject malformed input as a format error', () => {
    expect(checkCertificateNumber('hello')).toEqual({ ok: false, reason: 'format' });
    expect(checkCertificateNumber('PSF-00000-0000U-0')).toEqual({ ok: false, reason: 'format' });
    expect(checkCertificateNumber('PSF-00000-0000Z-0')).toEqual({ ok: false, reason: 'format' });
  });
});

function newCertificateNumberWithBody(body: string): string {
  let i = 0;
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXY';
  return newCertificateNumber(() => alphabet.indexOf(body[i++]));
}
