import { daysOf, MAX_PERIOD_DAYS, parseDay, parsePeriod, PeriodError } from './period';

const NOW = new Date('2026-12-03T08:47:16Z');

describe('the dashboard period (UTC days, both ends included)', () => {
  it('defaults to the last 30 days ending today (UTC), as the half-open interval [from 00:00Z, to + 1 00:00Z)', () => {
    const p = parsePeriod({}, NOW);
    expect(p).toMatchObject({ from: '2026-11-04', to: '2026-12-03', days: 30 });
    expect(p.start.toISOString()).toBe('2026-11-04T00:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-12-04T00:00:00.000Z');
  });

  it("reads today on UTC's calendar, not the server's local one, just before midnight UTC", () => {
    expect(parsePeriod({}, new Date('2026-12-03T23:59:59.999Z')).to).toBe('2026-12-03');
    expect(parsePeriod({}, new Date('2026-12-04T00:00:00.000Z')).to).toBe('2026-12-04');
  });

  it('takes the 30 days ending on `to` when only `to` is given, and runs to today when only `from` is', () => {
    expect(parsePeriod({ to: '2026-03-01' }, NOW)).toMatchObject({ from: '2026-01-31', to: '2026-03-01', days: 30 });
    expect(parsePeriod({ from: '2026-12-01' }, NOW)).toMatchObject({ from: '2026-12-01', to: '2026-12-03', days: 3 });
  });

  it('accepts a single day and a whole leap year (366 days), and refuses 367 days', () => {
    const day = parsePeriod({ from: '2026-06-15', to: '2026-06-15' }, NOW);
    expect(day.days).toBe(1);
    expect(day.end.getTime() - day.start.getTime()).toBe(86_400_000);
    expect(parsePeriod({ from: '2024-01-01', to: '2024-12-31' }, NOW).days).toBe(MAX_PERIOD_DAYS);
    expect(() => parsePeriod({ from: '2024-01-01', to: '2025-01-01' }, NOW)).toThrow(
      'the period is 367 days long; it can be at most 366 days',
    );
  });

  it('refuses `from` after `to`, naming both', () => {
    expect(() => parsePeriod({ from: '2026-05-02', to: '2026-05-01' }, NOW)).toThrow(
      new PeriodError('from (2026-05-02) is after to (2026-05-01)'),
    );
  });

  it.each(['2026-02-30', '2026-13-01', '2026-1-05', '05/01/2026', '2026-05-01T00:00:00Z', '', 'yesterday', '2026-00-10'])(
    'refuses %j as a date, naming the parameter',
    (value) => {
      expect(() => parsePeriod({ from: value, to: '2026-12-01' }, NOW)).toThrow('from must be a date written YYYY-MM-DD');
      expect(() => parseDay(value, 'to')).toThrow(PeriodError);
    },
  );

  it('accepts 29 February in a leap year only', () => {
    expect(parseDay('2028-02-29', 'from').toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(() => parseDay('2027-02-29', 'from')).toThrow(PeriodError);
  });

  it('refuses years outside 1970–9998 (typos, and `to` + 90 days must stay a date)', () => {
    expect(() => parseDay('0099-01-01', 'from')).toThrow('from must be between 1970 and 9998');
    expect(() => parseDay('9999-12-31', 'to')).toThrow('to must be between 1970 and 9998');
  });

  it('lists every day of the period, across a month end', () => {
    expect(daysOf(parsePeriod({ from: '2026-02-27', to: '2026-03-02' }, NOW))).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
  });
});
