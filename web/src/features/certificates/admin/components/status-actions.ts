export type StatusAction = 'revoke' | 'suspend' | 'reinstate';

/**
 * What an administrator may do to a certificate in each status. Revocation is final: a revoked certificate
 * offers nothing (the API answers 409 to a reinstatement); only a suspended one can be reinstated.
 */
export function statusActions(status: string): StatusAction[] {
  if (status === 'revoked') return [];
  if (status === 'suspended') return ['revoke', 'reinstate'];
  if (status === 'active') return ['revoke', 'suspend'];
  return ['revoke']; // expired: it can still be revoked for cause
}

/** The stored reason in words where the platform wrote it itself (not an administrator). */
export function statusReasonText(reason: string | null): string {
  if (reason === 'decision_changed') return 'The decision that issued it was changed (revoked automatically)';
  if (reason === 'superseded') return 'Superseded by a re-issued certificate';
  return reason ?? '—';
}
