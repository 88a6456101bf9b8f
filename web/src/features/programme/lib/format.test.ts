import { describe, expect, it } from 'vitest';
import { feeText, validityText, waitText } from './format';

describe('programme figures in words', () => {
  it('says "No charge" for a free credential and formats a fee in its currency', () => {
    expect(feeText({ amount: 0, currency: 'EUR' }, 'en-GB')).toBe('No charge');
    expect(feeText({ amount: 350, currency: 'EUR' }, 'en-GB')).toBe('€350');
    expect(feeText({ amount: 99.5, currency: 'GBP' }, 'en-GB')).toBe('£99.50');
  });

  it('states validity in years when it is whole years, else in days', () => {
    expect(validityText(730)).toBe('2 years');
    expect(validityText(365)).toBe('1 year');
    expect(validityText(400)).toBe('400 days');
  });

  it('states the retake wait in days, or in hours below a day', () => {
    expect(waitText(7)).toBe('7 days');
    expect(waitText(0.5)).toBe('12 hours');
    expect(waitText(1.5)).toBe('36 hours');
  });
});
