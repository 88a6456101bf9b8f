import { type AngoffRating, angoffCut } from './angoff';

const ITEMS = ['i1', 'i2', 'i3', 'i4', 'i5'];

function rater(raterId: string, probabilities: number[], itemKeys = ITEMS): AngoffRating[] {
  return probabilities.map((probability, i) => ({ raterId, itemKey: itemKeys[i], probability }));
}

// Three raters × five items; rater cuts 3.5/5 = 0.70, 3.0/5 = 0.60, 4.0/5 = 0.80 → mean 0.70, SD 0.1.
const PANEL = [
  ...rater('r1', [0.6, 0.7, 0.5, 0.8, 0.9]),
  ...rater('r2', [0.5, 0.6, 0.6, 0.7, 0.6]),
  ...rater('r3', [0.7, 0.8, 0.7, 0.9, 0.9]),
];

describe('angoffCut', () => {
  it('averages each rater over the items, then the raters: cut 70 %', () => {
    const result = angoffCut(PANEL, ITEMS, 20);
    expect(result.raters.map((r) => [r.raterId, r.rated])).toEqual([
      ['r1', 5],
      ['r2', 5],
      ['r3', 5],
    ]);
    expect(result.raters.map((r) => r.cutProportion)).toEqual([0.7, 0.6, 0.8].map((v) => expect.closeTo(v, 12)));
    expect(result.cutProportion).toBeCloseTo(0.7, 12);
    expect(result.cutPercent).toBeCloseTo(70, 10);
    expect(result.complete).toBe(true);
  });

  it('rounds the raw cut up, without floating-point noise pushing 14.000000000000002 to 15', () => {
    expect(angoffCut(PANEL, ITEMS, 20).cutRaw).toBe(14);
    expect(angoffCut(PANEL, ITEMS, 22).cutRaw).toBe(16); // 0.7 × 22 = 15.4
  });

  it('reports the raters’ sample SD and the standard error SD/√raters, and uses ± 1 SE as the range by default', () => {
    const result = angoffCut(PANEL, ITEMS, 20);
    const se = 0.1 / Math.sqrt(3);
    expect(result.raterSd).toBeCloseTo(0.1, 12);
    expect(result.standardError).toBeCloseTo(se, 12);
    expect(result.range.lowPercent).toBeCloseTo(70 - 100 * se, 10);
    expect(result.range.highPercent).toBeCloseTo(70 + 100 * se, 10);
  });

  it('uses cut ± 1 SEM when an SEM is given: 2 raw points on a 20-item form is ± 10 %', () => {
    const result = angoffCut(PANEL, ITEMS, 20, 2);
    expect(result.range.lowPercent).toBeCloseTo(60, 10);
    expect(result.range.highPercent).toBeCloseTo(80, 10);
  });

  it('leaves a rater who skipped items out of the cut, but reports them with their count', () => {
    const result = angoffCut([...PANEL, ...rater('r4', [0.2, 0.2, 0.2])], ITEMS, 20);
    expect(result.cutProportion).toBeCloseTo(0.7, 12);
    expect(result.complete).toBe(false);
    expect(result.raters.find((r) => r.raterId === 'r4')).toEqual({ raterId: 'r4', cutProportion: expect.closeTo(0.2, 12), rated: 3 });
  });

  it('ignores ratings of items outside the form being set', () => {
    const extra = { raterId: 'r1', itemKey: 'retired', probability: 0 };
    expect(angoffCut([...PANEL, extra], ITEMS, 20).cutProportion).toBeCloseTo(0.7, 12);
  });

  it('throws a clear error when no rater rated every item', () => {
    expect(() => angoffCut(rater('r4', [0.2, 0.2, 0.2]), ITEMS, 20)).toThrow(/no rater rated every item/);
  });

  it('rejects a probability outside 0..1 and a duplicate rating', () => {
    expect(() => angoffCut(rater('r1', [0.6, 0.7, 1.5, 0.8, 0.9]), ITEMS, 20)).toThrow(RangeError);
    expect(() => angoffCut([...PANEL, { raterId: 'r1', itemKey: 'i1', probability: 0.6 }], ITEMS, 20)).toThrow(/more than once/);
  });
});
