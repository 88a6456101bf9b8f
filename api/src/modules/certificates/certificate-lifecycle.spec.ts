import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { CERTIFICATE_STATES, certificateLifecycle, type CertificateState, effectiveCertificateStatus } from './certificate-lifecycle';
import { CERTIFICATE_STATUSES } from './dto/certificate.dto';

/** Every status change the code makes: certificates.service changeStatus, from the admin revoke/suspend/reinstate routes. */
const MOVES: Array<[CertificateState, CertificateState, string]> = [
  ['active', 'revoked', 'revoke'],
  ['active', 'suspended', 'suspend'],
  ['suspended', 'active', 'reinstate'],
  ['suspended', 'revoked', 'revoke'],
];

describe('certificate lifecycle', () => {
  it('has exactly the stored states of the certificates_status_known CHECK constraint, and starts at the column default', () => {
    const column = statusColumn('certificates');
    expect([...CERTIFICATE_STATES]).toEqual(column.checked);
    expect(column.default).toBe('active');
  });

  it('adds only the derived "expired" to what the API shows', () => {
    expect([...CERTIFICATE_STATUSES]).toEqual([...CERTIFICATE_STATES, 'expired']);
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(certificateLifecycle.can(from, to)).toBe(true);
  });

  it('allows no move the code does not make', () => {
    expect(allowedMoves(certificateLifecycle)).toEqual(movesOf(MOVES));
  });

  it('refuses to turn a revocation into a suspension', () => {
    expect(() => certificateLifecycle.assert('revoked', 'suspended')).toThrow(LifecycleError);
    expect(() => certificateLifecycle.assert('revoked', 'suspended')).toThrow('A certificate cannot move from "revoked" to "suspended"');
  });

  it('makes revocation final: a revoked certificate is never reinstated (api-contract: 409)', () => {
    expect(CERTIFICATE_STATES.filter(certificateLifecycle.isFinal)).toEqual(['revoked']);
    expect(() => certificateLifecycle.assert('revoked', 'active')).toThrow('A certificate cannot move from "revoked" to "active"');
    // Only a suspended certificate comes back to active.
    expect(certificateLifecycle.from('active')).toEqual(['suspended']);
  });

  it('derives "expired" from the end date, only for an active certificate', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    const past = new Date('2026-02-28T00:00:00Z');
    const future = new Date('2027-01-01T00:00:00Z');
    expect(effectiveCertificateStatus('active', future, now)).toBe('active');
    expect(effectiveCertificateStatus('active', past, now)).toBe('expired');
    expect(effectiveCertificateStatus('active', now, now)).toBe('expired');
    expect(effectiveCertificateStatus('suspended', past, now)).toBe('suspended');
    expect(effectiveCertificateStatus('revoked', past, now)).toBe('revoked');
  });
});
