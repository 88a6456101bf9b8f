import { describe, expect, it } from 'vitest';
import { labelEvery, niceMax, ticks } from './chart-scale';

describe('bar chart scale', () => {
  it('rounds the top of the axis up to 1, 2 or 5 × 10ⁿ', () => {
    expect([0, 1, 3, 7, 10, 11, 23, 99, 101, 480].map(niceMax)).toEqual([1, 1, 5, 10, 10, 20, 50, 100, 200, 500]);
  });

  it('ticks in whole numbers from 0 to the top', () => {
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(2)).toEqual([0, 1, 2]);
    expect(ticks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(ticks(10)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(500)).toEqual([0, 100, 200, 300, 400, 500]);
  });

  it('prints every label when they fit, every n-th when they do not', () => {
    expect(labelEvery(10, 12)).toBe(1);
    expect(labelEvery(30, 10)).toBe(3);
    expect(labelEvery(366, 10)).toBe(37);
  });
});
