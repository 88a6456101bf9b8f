import { bucketOf, passRate, percentile, roundDays, scoreBuckets } from './figures';

describe('dashboard figures: percentiles, score buckets, pass rate', () => {
  it('has no percentile of nothing, and any percentile of one value is that value', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([4.2], 50)).toBe(4.2);
    expect(percentile([4.2], 90)).toBe(4.2);
  });

  it('takes the median as the middle value, or the mean of the middle two, whatever the input order', () => {
    expect(percentile([9, 1, 5], 50)).toBe(5);
    expect(percentile([7, 1, 3, 5], 50)).toBe(4);
  });

  it('interpolates linearly between closest ranks (PostgreSQL percentile_cont, PERCENTILE.INC)', () => {
    // 1..10: h = 9 × 0.9 = 8.1 → 9 + 0.1 × (10 − 9)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 10);
    // [0, 10]: h = 0.9 → 9
    expect(percentile([10, 0], 90)).toBeCloseTo(9, 10);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it('does not reorder the caller’s values', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it('refuses a percentile outside 0–100', () => {
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(() => percentile([1], Number.NaN)).toThrow(RangeError);
  });

  it('rounds days to one decimal and keeps "none" as null', () => {
    expect(roundDays(2.349)).toBe(2.3);
    expect(roundDays(2.35)).toBe(2.4);
    expect(roundDays(null)).toBeNull();
  });

  it('puts scores in buckets of ten points, 100 with the 90s', () => {
    expect([0, 9.99, 10, 55, 89.9, 90, 100].map(bucketOf)).toEqual([0, 0, 1, 5, 8, 9, 9]);
  });

  it('lists all ten buckets, labelled, with zeros where nothing scored', () => {
    const buckets = scoreBuckets(
      new Map([
        [0, 2],
        [9, 1],
      ]),
    );
    expect(buckets).toHaveLength(10);
    expect(buckets[0]).toEqual({ min: 0, max: 9, label: '0–9', count: 2 });
    expect(buckets[5]).toEqual({ min: 50, max: 59, label: '50–59', count: 0 });
    expect(buckets[9]).toEqual({ min: 90, max: 100, label: '90–100', count: 1 });
  });

  it('gives the pass rate over scored attempts, and none when nothing was scored', () => {
    expect(passRate(3, 4)).toBe(0.75);
    expect(passRate(0, 0)).toBeNull();
  });
});
