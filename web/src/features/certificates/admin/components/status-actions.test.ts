import { describe, expect, it } from 'vitest';
import { statusActions, statusReasonText } from './status-actions';

describe('certificate status actions', () => {
  it('offers nothing for a revoked certificate (revocation is final) and reinstatement only for a suspended one', () => {
    expect(statusActions('revoked')).toEqual([]);
    expect(statusActions('suspended')).toEqual(['revoke', 'reinstate']);
    expect(statusActions('active')).toEqual(['revoke', 'suspend']);
    expect(statusActions('expired')).not.toContain('reinstate');
  });

  it('says in words why the platform revoked a certificate itself', () => {
    expect(statusReasonText('decision_changed')).toMatch(/decision that issued it was changed/);
    expect(statusReasonText('Fraud')).toBe('Fraud');
    expect(statusReasonText(null)).toBe('—');
  });
});
