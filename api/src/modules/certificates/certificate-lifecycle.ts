import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/**
 * A certificate's stored status, moved only by an administrator (revoke, suspend, reinstate).
 * "expired" is never stored: it is derived from expires_at (see effectiveCertificateStatus).
 */
export const CERTIFICATE_STATES = ['active', 'suspended', 'revoked'] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

export const certificateLifecycle = defineLifecycle('certificate', CERTIFICATE_STATES, {
  active: ['suspended', 'revoked'],
  // reinstate → active; a suspension confirmed → revoked
  suspended: ['active', 'revoked'],
  // Revocation is final (api-contract: reinstating a revoked certificate answers 409). A mistaken revocation
  // is put right by issuing a new certificate, never by turning a published "revoked" back into "valid".
  revoked: [],
});

/** What the holder, the verify page and the reminders see: the stored status, or "expired" once an active one lapses. */
export type EffectiveCertificateStatus = CertificateState | 'expired';

export function effectiveCertificateStatus(stored: CertificateState, expiresAt: Date, now: Date): EffectiveCertificateStatus {
  // A suspended or revoked certificate keeps saying so after its end date: that is the stronger statement.
  return stored === 'active' && expiresAt.getTime() <= now.getTime() ? 'expired' : stored;
}
