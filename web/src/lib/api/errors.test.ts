import { describe, expect, it } from 'vitest';
import { failureOf, fieldErrors, hasReason } from './errors';

const thrown = (message: string, extra: Record<string, unknown>) => Object.assign(new Error(message), extra);

describe('failureOf', () => {
  it('reads the status code and reason that unwrap attaches', () => {
    const error = thrown('Enter the code from your authenticator app', { statusCode: 401, reason: 'mfa_required' });
    expect(failureOf(error)).toEqual({ message: 'Enter the code from your authenticator app', statusCode: 401, reason: 'mfa_required' });
  });

  it('leaves out a reason the body did not give', () => {
    expect(failureOf(thrown('Invalid email or password', { statusCode: 401 }))).toEqual({
      message: 'Invalid email or password',
      statusCode: 401,
      reason: undefined,
    });
  });

  it('gives a generic message for something that is not an Error', () => {
    expect(failureOf('boom')).toEqual({ message: 'Something went wrong; try again' });
    expect(failureOf(null).statusCode).toBeUndefined();
  });

  it('ignores properties of the wrong type', () => {
    expect(failureOf(thrown('x', { statusCode: '401', reason: 7 }))).toEqual({ message: 'x', statusCode: undefined, reason: undefined });
  });
});

describe('hasReason', () => {
  it('tells the reasons apart', () => {
    const error = thrown('Confirm your e-mail address first', { statusCode: 403, reason: 'email_unverified' });
    expect(hasReason(error, 'email_unverified')).toBe(true);
    expect(hasReason(error, 'mfa_required')).toBe(false);
    expect(hasReason(new Error('plain'), 'email_unverified')).toBe(false);
  });
});

describe('fieldErrors', () => {
  const fields: Array<['email' | 'password' | 'fullName', RegExp]> = [
    ['password', /password/i],
    ['email', /e-?mail/i],
    ['fullName', /name/i],
  ];

  it('puts a weak-password message on the password field as a sentence', () => {
    expect(fieldErrors('password must be at least 12 characters long', fields)).toEqual({
      byField: { password: 'Password must be at least 12 characters long.' },
      rest: null,
    });
  });

  it('splits the joined validation messages between their fields', () => {
    expect(fieldErrors('email must be a valid email address; fullName is required', fields)).toEqual({
      byField: { email: 'Email must be a valid email address.', fullName: 'FullName is required.' },
      rest: null,
    });
  });

  it('joins two messages about the same field', () => {
    const { byField } = fieldErrors('password is too short; This password has appeared in a data breach.', fields);
    expect(byField.password).toBe('Password is too short. This password has appeared in a data breach.');
  });

  it('leaves what is about no field for the form', () => {
    expect(fieldErrors('The link is invalid or has expired', fields)).toEqual({
      byField: {},
      rest: 'The link is invalid or has expired.',
    });
  });
});
