import { canonicalJson } from '../../common/canonical-json';
import {
  type AuditCheckpoint,
  type AuditContent,
  chainHash,
  chainHmac,
  ChainVerifier,
  checkpointLine,
  type ChainRow,
  deriveAuditKey,
  GENESIS_HASH,
  parseCheckpointLine,
} from './audit-chain';

const KEY = deriveAuditKey('x'.repeat(32), 'psf audit chain hmac v1');
const OTHER_KEY = deriveAuditKey('y'.repeat(32), 'psf audit chain hmac v1');

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
    expect(chainHmac(KEY, GENESIS_HASH, reordered)).toBe(chainHmac(KEY, GENESIS_HASH, content));
  });

  it('changes the hash when the content or the previous link changes', () => {
    const h = chainHash(GENESIS_HASH, content);
    expect(chainHash(GENESIS_HASH, { ...content, action: 'user.deleted' })).not.toBe(h);
    expect(chainHash('f'.repeat(64), content)).not.toBe(h);
  });

  it('keys version 2: without the key the HMAC cannot be recomputed, and it is not the plain hash', () => {
    const h = chainHmac(KEY, GENESIS_HASH, content);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toBe(chainHash(GENESIS_HASH, content));
    expect(chainHmac(OTHER_KEY, GENESIS_HASH, content)).not.toBe(h);
  });

  it('derives different keys for different purposes from one root', () => {
    expect(deriveAuditKey('x'.repeat(32), 'a').equals(deriveAuditKey('x'.repeat(32), 'b'))).toBe(false);
    expect(() => deriveAuditKey('short', 'a')).toThrow(/32/);
  });
});

/** A well-formed chain: `plain` version-1 rows, then version-2 rows. */
function chain(plain: number, keyed: number): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= plain + keyed; i++) {
    const c: AuditContent = {
      occurredAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      actorId: null,
      action: `test.row_${i}`,
      subjectType: 'test',
      subjectId: String(i),
      data: { i },
    };
    const version = i <= plain ? 1 : 2;
    const hash = version === 1 ? chainHash(prev, c) : chainHmac(KEY, prev, c);
    rows.push({ ...c, id: String(i), prevHash: prev, hash, hashVersion: version });
    prev = hash;
  }
  return rows;
}

function verify(rows: ChainRow[], checkpoints: AuditCheckpoint[] = []) {
  const v = new ChainVerifier(KEY, checkpoints);
  for (const row of rows) {
    const problem = v.check(row);
    if (problem) return problem;
  }
  return v.finish();
}

const checkpointAt = (rows: ChainRow[], index: number): AuditCheckpoint => ({
  headId: rows[index].id,
  headHash: rows[index].hash,
  rowCount: index + 1,
  at: '2026-01-02T00:00:00.000Z',
});

describe('ChainVerifier', () => {
  it('accepts old plain rows followed by keyed rows, and checkpoints that match', () => {
    const rows = chain(3, 4);
    expect(verify(rows, [checkpointAt(rows, 2), checkpointAt(rows, 6)])).toBeNull();
  });

  it('names an edited row even when its plain hashes were recomputed (the HMAC fails)', () => {
    const rows = chain(2, 4);
    const edited = { ...rows[3], data: { i: 999 } };
    edited.hash = chainHash(edited.prevHash, edited);
    edited.hashVersion = 1;
    expect(verify([...rows.slice(0, 3), edited, ...rows.slice(4)])).toEqual({
      firstBrokenId: '4',
      reason: 'an unkeyed (version 1) hash after keyed rows',
    });
    const keptVersion = { ...rows[3], data: { i: 999 }, hash: chainHash(rows[3].prevHash, { ...rows[3], data: { i: 999 } }) };
    expect(verify([...rows.slice(0, 3), keptVersion, ...rows.slice(4)])).toEqual({
      firstBrokenId: '4',
      reason: 'content does not match its hash',
    });
  });

  it('names the row after a deleted one (its link breaks)', () => {
    const rows = chain(0, 5);
    expect(verify([...rows.slice(0, 2), ...rows.slice(3)])).toEqual({
      firstBrokenId: '4',
      reason: 'prev_hash does not match the previous row',
    });
  });

  it('reports removed newest rows as truncation when a checkpoint names a later head', () => {
    const rows = chain(0, 6);
    const problem = verify(rows.slice(0, 4), [checkpointAt(rows, 5)]);
    expect(problem?.firstBrokenId).toBe('6');
    expect(problem?.reason).toMatch(/newest rows are missing.*ends at row 4/);
  });

  it('reports a whole chain rewritten in the plain algorithm against the checkpoint', () => {
    const rows = chain(0, 3);
    const rewritten = chain(3, 0); // same ids, valid plain links, different content and hashes
    const problem = verify(rewritten, [checkpointAt(rows, 2)]);
    expect(problem).toEqual({ firstBrokenId: '3', reason: expect.stringMatching(/differs from its checkpoint/) });
  });
});

describe('checkpoint lines', () => {
  const checkpoint: AuditCheckpoint = { headId: '42', headHash: 'a'.repeat(64), rowCount: 42, at: '2026-01-01T00:00:00.000Z' };

  it('round-trips under the key', () => {
    expect(parseCheckpointLine(KEY, checkpointLine(KEY, checkpoint))).toEqual(checkpoint);
  });

  it('refuses an edited line, another key and garbage', () => {
    const line = checkpointLine(KEY, checkpoint);
    expect(parseCheckpointLine(KEY, line.replace('"rowCount":42', '"rowCount":41'))).toBeNull();
    expect(parseCheckpointLine(OTHER_KEY, line)).toBeNull();
    expect(parseCheckpointLine(KEY, 'not json')).toBeNull();
  });
});
