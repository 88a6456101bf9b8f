import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditContent {
  occurredAt: string;
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  data: unknown;
}

/** hash = SHA-256(prevHash ‖ canonical content): changing any row breaks its own hash and every later link. */
export function chainHash(prevHash: string, content: AuditContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
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
