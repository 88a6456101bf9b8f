import { generateRecoveryCodes, hashRecoveryCode, normaliseRecoveryCode, RECOVERY_CODE_COUNT } from './recovery-codes';

describe('recovery codes', () => {
  it('are ten distinct lowercase base32 codes shaped xxxxx-xxxxx', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
  });

  it('are recognised however they are typed, and nothing else is', () => {
    expect(normaliseRecoveryCode('ABCDE-FGH23')).toBe('abcde-fgh23');
    expect(normaliseRecoveryCode(' abcde fgh23 ')).toBe('abcde-fgh23');
    expect(normaliseRecoveryCode('abcdefgh23')).toBe('abcde-fgh23');
    expect(normaliseRecoveryCode('abcde-fgh2')).toBeNull();
    expect(normaliseRecoveryCode('abcde-fgh01')).toBeNull();
    expect(normaliseRecoveryCode('123456')).toBeNull();
  });

  it('are stored as SHA-256 hex bound to their owner', () => {
    const hash = hashRecoveryCode('user-1', 'abcde-fgh23');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRecoveryCode('user-2', 'abcde-fgh23')).not.toBe(hash);
    expect(hashRecoveryCode('user-1', 'abcde-fgh23')).toBe(hash);
  });
});
