import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import {
  encodeStatusList,
  getBit,
  hashedEmailIdentity,
  holderSubjectId,
  setBit,
  STATUS_LIST_BITS,
  statusListCredential,
  wholeSeconds,
} from './open-badge';

describe('status list bits', () => {
  it('numbers bits from the left-most bit of the first byte', () => {
    const bits = setBit(Buffer.alloc(2), 0, true);
    expect(bits[0]).toBe(0b1000_0000);
    expect(setBit(bits, 9, true)[1]).toBe(0b0100_0000);
    expect(getBit(setBit(bits, 9, true), 9)).toBe(true);
    expect(getBit(setBit(setBit(bits, 9, true), 9, false), 9)).toBe(false);
  });

  it('encodes as multibase base64url (leading u, no padding) of the gzip of the bitstring (contract v1.1)', () => {
    const bits = setBit(Buffer.alloc(STATUS_LIST_BITS / 8), 42, true);
    const encoded = encodeStatusList(bits);
    expect(encoded).toMatch(/^u[A-Za-z0-9_-]+$/);
    const decoded = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(decoded.length).toBe(16_384);
    expect(getBit(decoded, 42)).toBe(true);
    expect(getBit(decoded, 41)).toBe(false);
  });
});

describe('holder identity', () => {
  it('is a salted hash of the e-mail, checkable by someone who knows the e-mail', () => {
    const id = hashedEmailIdentity('Ada@Example.org');
    expect(JSON.stringify(id)).not.toContain('ada@example.org');
    expect(id.identityHash).toBe(`sha256$${createHash('sha256').update(`ada@example.org${id.salt}`).digest('hex')}`);
    expect(hashedEmailIdentity('ada@example.org').identityHash).not.toBe(id.identityHash);
  });
});

describe('holder subject id', () => {
  it('is one stable urn:uuid per account that does not contain the account id', () => {
    const id = holderSubjectId('7c1f6f0e-2b7a-4c59-9a43-0d1d1f6b9a10');
    expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(holderSubjectId('7c1f6f0e-2b7a-4c59-9a43-0d1d1f6b9a10')).toBe(id);
    expect(holderSubjectId('0f5d3c1e-9a7b-4f2e-8d6c-5b4a39281706')).not.toBe(id);
    expect(id).not.toContain('7c1f6f0e');
  });
});

describe('status list credential validity', () => {
  it('names its issuer by URL, so that every term it uses is defined by its VC 2.0 context', () => {
    const vc = statusListCredential('https://psf.example', 3, Buffer.alloc(16));
    expect(vc['@context']).toEqual(['https://www.w3.org/ns/credentials/v2']);
    expect(vc.issuer).toBe('https://psf.example/api/public/issuer');
  });

  it('carries validFrom and validUntil in whole seconds when given a validity', () => {
    const from = new Date('2026-03-01T10:00:00.987Z');
    const until = new Date('2026-03-01T11:00:00.250Z');
    const vc = statusListCredential('https://psf.example', 3, Buffer.alloc(16), { from, until });
    expect(vc).toMatchObject({
      validFrom: '2026-03-01T10:00:00Z',
      validUntil: '2026-03-01T11:00:00Z',
      id: 'https://psf.example/api/public/status-lists/3',
    });
    expect(wholeSeconds(new Date('2026-03-01T10:00:00.000Z'))).toBe('2026-03-01T10:00:00Z');
  });

  it('has no validUntil without one (such a list is never served: the next request signs a fresh one)', () => {
    expect(statusListCredential('https://psf.example', 1, Buffer.alloc(16))).not.toHaveProperty('validUntil');
  });
});
