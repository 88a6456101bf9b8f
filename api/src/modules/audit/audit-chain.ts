import { createHash } from 'node:crypto';
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
