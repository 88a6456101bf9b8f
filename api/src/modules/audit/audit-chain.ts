import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** 1: plain SHA-256 (rows written before issue #14); 2: HMAC-SHA-256 under the audit key, which the database never holds. */
export type HashVersion = 1 | 2;
export const CURRENT_HASH_VERSION: HashVersion = 2;

export interface AuditContent {
  occurredAt: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: unknown;
}

/** Version 1: hash = SHA-256(prevHash ‖ canonical content): changing any row breaks its own hash and every later link. */
export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/**
 * Version 2: the same link, keyed. Whoever can write to the database but does not hold the key (the
 * database owner included) cannot recompute a valid hash for an edited row.
 */
export function chainHmac(key: Buffer, prevHash: string, content: AuditContent): string {
  return createHmac('sha256', key).update(prevHash).update(canonicalJson(content)).digest('hex');
}

export function linkHash(version: HashVersion, key: Buffer, prevHash: string, content: AuditContent): string {
  return version === 1 ? chainHash(prevHash, content) : chainHmac(key, prevHash, content);
}

export const AUDIT_CHAIN_KEY_INFO = 'psf audit chain hmac v1';
export const AUDIT_CHECKPOINT_KEY_INFO = 'psf audit checkpoint mac v1';

/** A 32-byte key derived (HKDF-SHA256) from the root secret under a label, one per purpose. */
export function deriveAuditKey(rootSecret: string, info: string): Buffer {
  if (rootSecret.length < 32) throw new Error('the audit key root must be at least 32 characters');
  return Buffer.from(hkdfSync('sha256', Buffer.from(rootSecret, 'utf8'), Buffer.alloc(0), Buffer.from(info, 'utf8'), 32));
}

/**
 * Personal data an entry refers to is kept outside the chain (audit_personal_data, erasable under
 * GDPR Art. 17); the chained entry holds this digest of it instead. The random salt makes the digest
 * useless for guessing the erased value (an address or a name is easy to guess from a plain hash).
 */
export function personalDataDigest(salt: string, personal: unknown): string {
  return createHash('sha256').update(salt).update(canonicalJson(personal)).digest('hex');
}

export function newPersonalDataSalt(): string {
  return randomBytes(16).toString('hex');
}

/** The chain's head as of a moment, written outside the database: rows up to headId must stay exactly as they were. */
export interface AuditCheckpoint {
  headId: string;
  headHash: string;
  rowCount: number;
  at: string;
}

/** One line of the checkpoint file: the checkpoint and its MAC under the checkpoint key. */
export function checkpointLine(key: Buffer, checkpoint: AuditCheckpoint): string {
  const body = { headId: checkpoint.headId, headHash: checkpoint.headHash, rowCount: checkpoint.rowCount, at: checkpoint.at };
  const mac = createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
  return JSON.stringify({ ...body, mac });
}

/** The checkpoint a line holds, or null when the line is not one or its MAC does not hold (edited, or another key's). */
export function parseCheckpointLine(key: Buffer, line: string): AuditCheckpoint | null {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  const { headId, headHash, rowCount, at, mac } = parsed;
  if (typeof headId !== 'string' || typeof headHash !== 'string' || typeof rowCount !== 'number' || typeof at !== 'string') return null;
  if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return null;
  const expected = createHmac('sha256', key).update(canonicalJson({ headId, headHash, rowCount, at })).digest();
  return timingSafeEqual(expected, Buffer.from(mac, 'hex')) ? { headId, headHash, rowCount, at } : null;
}

/** A row as the verifier needs it. */
export interface ChainRow extends AuditContent {
  id: string;
  prevHash: string;
  hash: string;
  hashVersion: number;
}

export interface ChainProblem {
  /** The first bad row (null when the checkpoint file itself is at fault). */
  firstBrokenId: string | null;
  reason: string;
}

/**
 * Walks the chain row by row, oldest first, from `start` (the genesis, or a checkpointed row already
 * known good). Checks each link, the hash version rule (version 1 only before the first version-2
 * row), and the checkpoints: a checkpointed head must be there with its hash and the number of rows
 * up to it. `finish()` reports checkpoints the walk never reached: the newest rows are gone.
 */
export class ChainVerifier {
  private prevHash: string;
  private seenKeyed = false;
  private count: number;
  private lastId: string | null;
  private readonly pending: AuditCheckpoint[];

  constructor(
    private readonly key: Buffer,
    checkpoints: AuditCheckpoint[] = [],
    start: { prevHash: string; rowCount: number; lastId: string | null; keyed: boolean } = {
      prevHash: GENESIS_HASH,
      rowCount: 0,
      lastId: null,
      keyed: false,
    },
  ) {
    this.prevHash = start.prevHash;
    this.count = start.rowCount;
    this.lastId = start.lastId;
    this.seenKeyed = start.keyed;
    this.pending = [...checkpoints].sort((a, b) => compareIds(a.headId, b.headId));
  }

  get rowCount(): number {
    return this.count;
  }

  get head(): { id: string | null; hash: string } {
    return { id: this.lastId, hash: this.prevHash };
  }

  /** Null when the row holds; else the problem, naming this row (or the checkpointed row missing before it). */
  check(row: ChainRow): ChainProblem | null {
    const skipped = this.pending.length ? this.pending[0] : null;
    if (skipped && compareIds(skipped.headId, row.id) < 0) {
      return { firstBrokenId: skipped.headId, reason: `row ${skipped.headId}, checkpointed at ${skipped.at}, is missing` };
    }
    if (row.prevHash !== this.prevHash) return { firstBrokenId: row.id, reason: 'prev_hash does not match the previous row' };
    if (row.hashVersion === 1 && this.seenKeyed) {
      return { firstBrokenId: row.id, reason: 'an unkeyed (version 1) hash after keyed rows' };
    }
    if (row.hashVersion !== 1 && row.hashVersion !== 2) return { firstBrokenId: row.id, reason: `unknown hash version ${row.hashVersion}` };
    const content: AuditContent = {
      occurredAt: row.occurredAt,
      actorId: row.actorId,
      action: row.action,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      data: row.data,
    };
    if (row.hash !== linkHash(row.hashVersion, this.key, this.prevHash, content)) {
      return { firstBrokenId: row.id, reason: 'content does not match its hash' };
    }
    this.seenKeyed ||= row.hashVersion === 2;
    this.prevHash = row.hash;
    this.lastId = row.id;
    this.count += 1;
    while (this.pending.length && this.pending[0].headId === row.id) {
      const cp = this.pending.shift()!;
      if (cp.headHash !== row.hash) {
        return { firstBrokenId: row.id, reason: `row ${row.id} differs from its checkpoint of ${cp.at}` };
      }
      if (cp.rowCount !== this.count) {
        return {
          firstBrokenId: row.id,
          reason: `${this.count} rows up to row ${row.id}, its checkpoint of ${cp.at} counted ${cp.rowCount}`,
        };
      }
    }
    return null;
  }

  /** After the last row: a checkpoint beyond it means the newest rows were removed (truncation). */
  finish(): ChainProblem | null {
    const beyond = this.pending[0];
    if (!beyond) return null;
    return {
      firstBrokenId: beyond.headId,
      reason: `the newest rows are missing: the checkpoint of ${beyond.at} names row ${beyond.headId}, the log ends at row ${this.lastId ?? 'none'}`,
    };
  }
}

/** bigint ids as strings, compared as numbers. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
