import { BREACHED_PASSWORD_MESSAGE, loadCommonPasswords, passwordProblem } from './password-policy';

const ada = { email: 'ada.lovelace@example.org', fullName: 'Ada Lovelace' };

describe('password policy', () => {
  it('loads the shipped breached-password list (entries of 12 characters or more)', () => {
    const list = loadCommonPasswords();
    expect(list.size).toBeGreaterThan(40_000);
    expect(list.has('123qweasdzxc')).toBe(true);
    expect([...list].every((p) => p.length >= 12)).toBe(true);
  });

  it('accepts a long password that is in no list and has nothing of the person in it', () => {
    expect(passwordProblem('copper kettle under moonlight', ada)).toBeNull();
  });

  it('refuses passwords shorter than 12 characters', () => {
    expect(passwordProblem('short pass', ada)).toMatch(/at least 12 characters/);
  });

  it('refuses a breached password, case-insensitively, and explains why', () => {
    expect(passwordProblem('123qweasdzxc', ada)).toBe(BREACHED_PASSWORD_MESSAGE);
    expect(passwordProblem('123QWEasdZXC', ada)).toBe(BREACHED_PASSWORD_MESSAGE);
    expect(BREACHED_PASSWORD_MESSAGE).toMatch(/^This password appears in lists of breached passwords/);
  });

  it('refuses a password that contains the e-mail local part', () => {
    expect(passwordProblem('my-Ada.Lovelace-password', ada)).toMatch(/e-mail address/);
  });

  it('refuses a password that equals the name (ignoring case and spaces)', () => {
    const long = { email: 'x@example.org', fullName: 'Augusta Ada King' };
    expect(passwordProblem('augusta ada king', long)).toMatch(/your name/);
    expect(passwordProblem('AugustaAdaKing', long)).toMatch(/your name/);
  });

  it('does not treat a very short local part as personal information', () => {
    expect(passwordProblem('a calm abacus afternoon', { email: 'a@example.org', fullName: 'A' })).toBeNull();
  });
});
