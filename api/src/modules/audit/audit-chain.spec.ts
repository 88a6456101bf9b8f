import { canonicalJson } from '../../common/canonical-json';
import { chainHash, GENESIS_HASH } from './audit-chain';

describe('audit chain hashing', () => {
  const content = {
    occurredAt: '2026-01-01T00:00:00.000Z',
    actorId: null,
    action: 'user.created',
    subjectType: 'user',
    subjectId: 'u1',
    data: { b: 1, a: [{ y: 2, x: 1 }] },
  };

  it('serialises keys in a stable order at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 1 } })).toBe('{"a":{"c":1,"d":2},"b":1}');
  });

  it('gives the same hash for the same content whatever the key order', () => {
    const reordered = { ...content, data: { a: [{ x: 1, y: 2 }], b: 1 } };
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, content));
  });

  it('changes the hash when the content or the previous link changes', () => {
    const h = chainHash(GENESIS_HASH, content);
    expect(chainHash(GENESIS_HASH, { ...content, action: 'user.deleted' })).not.toBe(h);
    expect(chainHash('f'.repeat(64), content)).not.toBe(h);
  });
});
