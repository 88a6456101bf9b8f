import { describe, expect, it } from 'vitest';
import { addMonths, monthGrid, moveDate } from './month-grid';

describe('monthGrid', () => {
  it('lays a month out in Monday-first weeks with blanks around it', () => {
    const weeks = monthGrid('2026-12'); // 1 December 2026 is a Tuesday
    expect(weeks[0]).toEqual([null, '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06']);
    expect(weeks.at(-1)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30', '2026-12-31', null, null, null]);
    expect(weeks.flat().filter(Boolean)).toHaveLength(31);
  });

  it('starts a month that begins on Monday without a blank, and handles a leap February', () => {
    expect(monthGrid('2027-02')[0][0]).toBe('2027-02-01');
    expect(monthGrid('2028-02').flat().filter(Boolean)).toHaveLength(29);
  });
});

describe('moveDate (the date grid keys)', () => {
  it('moves by day and week across month and year ends', () => {
    expect(moveDate('2026-12-31', 'ArrowRight')).toBe('2027-01-01');
    expect(moveDate('2027-01-01', 'ArrowLeft')).toBe('2026-12-31');
    expect(moveDate('2026-12-29', 'ArrowDown')).toBe('2027-01-05');
    expect(moveDate('2026-12-03', 'ArrowUp')).toBe('2026-11-26');
  });

  it('goes to the week’s Monday and Sunday, and by month (or year with Shift)', () => {
    expect(moveDate('2026-12-03', 'Home')).toBe('2026-11-30');
    expect(moveDate('2026-12-03', 'End')).toBe('2026-12-06');
    expect(moveDate('2026-12-03', 'PageDown')).toBe('2027-01-03');
    expect(moveDate('2026-12-03', 'PageUp', true)).toBe('2025-12-03');
    expect(moveDate('2026-12-03', 'a')).toBeNull();
  });

  it('keeps to the shorter month’s last day', () => {
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
  });
});
