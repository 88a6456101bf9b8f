import {
  binomialUpperTail,
  candidateTotals,
  chiSquareOneDfPValue,
  decisionConsistency,
  erfc,
  type ItemDefinition,
  type ItemResponse,
  itemStatistics,
  kr20,
  mantelHaenszel,
  pearson,
  scoreSummary,
  spearman,
  standardErrorOfMeasurement,
} from './psychometrics';
import { generateItemParameters, normal, seededRandom, simulateResponse } from './simulation';

const OPTIONS = ['a', 'b', 'c', 'd'];

function answer(candidateId: string, itemKey: string, key: string, chosen: string | null, scored = true): ItemResponse {
  return { candidateId, itemKey, chosen, correct: chosen === key, scored };
}

// 6 candidates × 4 scored items (keys a, b, c, d) plus one pretest item P (key a). Correct (1) / wrong (0):
//        I1 I2 I3 I4 | total | P
//   c1    1  1  1  1 |   4   | 1
//   c2    1  1  1  0 |   3   | 1
//   c3    1  1  0  0 |   2   | 0
//   c4    1  0  1  0 |   2   | 1
//   c5    0  1  0  0 |   1   | 0
//   c6    0  0  0  0 |   0   | 0
const KEYS: Record<string, string> = { I1: 'a', I2: 'b', I3: 'c', I4: 'd', P: 'a' };
const CHOSEN: Record<string, Array<string | null>> = {
  I1: ['a', 'a', 'a', 'a', 'b', null],
  I2: ['b', 'b', 'b', 'a', 'b', 'c'],
  I3: ['c', 'c', 'd', 'c', 'd', 'a'],
  I4: ['d', 'a', 'a', 'b', 'c', 'a'],
  P: ['a', 'a', 'b', 'a', 'b', 'b'],
};
const CANDIDATES = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
const SMALL: ItemResponse[] = Object.entries(CHOSEN).flatMap(([itemKey, chosen]) =>
  chosen.map((option, i) => answer(CANDIDATES[i], itemKey, KEYS[itemKey], option, itemKey !== 'P')),
);
const SMALL_ITEMS: ItemDefinition[] = Object.keys(KEYS).map((itemKey) => ({ itemKey, options: OPTIONS, key: KEYS[itemKey] }));

function statsOf(responses: ItemResponse[], items: ItemDefinition[], itemKey: string) {
  const found = itemStatistics(responses, items).find((s) => s.itemKey === itemKey);
  if (!found) throw new Error(`no statistics for ${itemKey}`);
  return found;
}

describe('candidateTotals', () => {
  it('counts scored items only: the pretest item never enters the score or the maximum', () => {
    const totals = candidateTotals(SMALL);
    expect(totals.get('c1')).toEqual({ score: 4, max: 4 });
    expect(totals.get('c4')).toEqual({ score: 2, max: 4 });
    expect(totals.get('c6')).toEqual({ score: 0, max: 4 });
  });
});

describe('itemStatistics on a hand-computed 6 × 4 example', () => {
  it('facility is the proportion correct, with an omit counted as wrong', () => {
    const i1 = statsOf(SMALL, SMALL_ITEMS, 'I1');
    expect(i1.n).toBe(6);
    expect(i1.facility).toBeCloseTo(4 / 6, 12);
    expect(i1.omitted).toBeCloseTo(1 / 6, 12);
    expect(statsOf(SMALL, SMALL_ITEMS, 'I4').facility).toBeCloseTo(1 / 6, 12);
  });

  it('point-biserial is corrected: I1 against the rest score (3,2,1,1,1,0) gives 5/3 ÷ √(4/3 · 16/3) = 0.625', () => {
    // Uncorrected (against totals 4,3,2,2,1,0) it would be ≈ 0.79, so this fails if the item stays in its own total.
    expect(statsOf(SMALL, SMALL_ITEMS, 'I1').pointBiserial).toBeCloseTo(0.625, 10);
  });

  it('a pretest item correlates with the whole scored total: (1,1,0,1,0,0) vs (4,3,2,2,1,0) gives 3/√15', () => {
    expect(statsOf(SMALL, SMALL_ITEMS, 'P').pointBiserial).toBeCloseTo(3 / Math.sqrt(15), 10);
  });

  it('reports option shares, which option is the key, and option–rest correlations (null when nobody chose it)', () => {
    const i1 = statsOf(SMALL, SMALL_ITEMS, 'I1');
    expect(i1.options.map((o) => [o.option, o.key, o.share])).toEqual([
      ['a', true, 4 / 6],
      ['b', false, 1 / 6],
      ['c', false, 0],
      ['d', false, 0],
    ]);
    // Only c5 (rest 1, mean rest 4/3) chose b: Σ x(y − ȳ) = −1/3, Sxx = 5/6, Syy = 16/3 → r = −1/√40.
    expect(i1.options[1].correlation).toBeCloseTo(-1 / Math.sqrt(40), 10);
    expect(i1.options[0].correlation).toBeCloseTo(0.625, 10);
    expect(i1.options[2].correlation).toBeNull();
  });

  it('upper–lower index is null below 10 candidates', () => {
    expect(statsOf(SMALL, SMALL_ITEMS, 'I1').upperLower).toBeNull();
  });
});

// Candidate i answers fillers[i] of nine scored filler items correctly, so the studied item U's rest score is fillers[i].
function upperLowerData(fillers: number[], studied: number[]): ItemResponse[] {
  return fillers.flatMap((right, i) => [
    answer(`u${i}`, 'U', 'a', studied[i] ? 'a' : 'b'),
    ...Array.from({ length: 9 }, (_, j) => answer(`u${i}`, `F${j}`, 'a', j < right ? 'a' : 'b')),
  ]);
}
const U_ITEM: ItemDefinition[] = [{ itemKey: 'U', options: OPTIONS, key: 'a' }];

describe('upper–lower index (Kelley 27 % groups on the rest score)', () => {
  it('with 10 candidates compares the top 3 and bottom 3: (1,0,1) − (0,0,1) = 1/3', () => {
    const data = upperLowerData([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 0, 1, 0, 1, 0, 1, 1, 0, 1]);
    expect(statsOf(data, U_ITEM, 'U').upperLower).toBeCloseTo(1 / 3, 12);
  });

  it('splits a place at the group boundary between tied candidates, whatever the input order', () => {
    // Lower 3: rest 0 (wrong), rest 1 (wrong), and half of each of the two tied at rest 2 (one right) → 0.5/3.
    const fillers = [0, 1, 2, 2, 3, 4, 5, 6, 7, 8];
    const studied = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
    const data = upperLowerData(fillers, studied);
    expect(statsOf(data, U_ITEM, 'U').upperLower).toBeCloseTo(1 - 1 / 6, 12);
    expect(statsOf([...data].reverse(), U_ITEM, 'U').upperLower).toBeCloseTo(1 - 1 / 6, 12);
  });
});

// 40 candidates ordered by ability: candidate i answers filler j right iff i ≥ 4j + 2 (a Guttman pattern), plus:
//   easy: everyone right except c0, who picks b (c, d never chosen)
//   positive: c0–c9 pick c, c10–c14 d, c15–c29 the key a, the top ten c30–c39 pick b
//   good: c12 and above right; c0–c11 spread evenly over b, c, d
//   hard: only c32 and above right; the rest spread over b, c, d
function flagData(count: number): ItemResponse[] {
  const distractor = (i: number) => ['b', 'c', 'd'][i % 3];
  const choice: Record<string, (i: number) => string> = {
    easy: (i) => (i === 0 ? 'b' : 'a'),
    positive: (i) => (i < 10 ? 'c' : i < 15 ? 'd' : i < 30 ? 'a' : 'b'),
    good: (i) => (i >= 12 ? 'a' : distractor(i)),
    hard: (i) => (i >= 32 ? 'a' : distractor(i)),
  };
  return Array.from({ length: count }, (_, i) => [
    ...Array.from({ length: 10 }, (_, j) => answer(`c${i}`, `filler${j}`, 'a', i >= 4 * j + 2 ? 'a' : 'b')),
    ...Object.entries(choice).map(([itemKey, pick]) => answer(`c${i}`, itemKey, 'a', pick(i))),
  ]).flat();
}
const FLAG_ITEMS: ItemDefinition[] = ['easy', 'positive', 'good', 'hard'].map((itemKey) => ({ itemKey, options: OPTIONS, key: 'a' }));

describe('item flags', () => {
  const stats = itemStatistics(flagData(40), FLAG_ITEMS);
  const flagsOf = (itemKey: string) => stats.find((s) => s.itemKey === itemKey)?.flags;

  it('flags an item almost everyone gets right as too easy, and its never-chosen distractors as weak', () => {
    expect(flagsOf('easy')).toEqual(expect.arrayContaining(['too_easy', 'weak_distractor']));
    expect(flagsOf('easy')).not.toContain('too_hard');
  });

  it('flags a distractor chosen by the strongest candidates as a positive distractor', () => {
    expect(flagsOf('positive')).toContain('positive_distractor');
    const b = stats.find((s) => s.itemKey === 'positive')?.options.find((o) => o.option === 'b');
    expect(b?.correlation).toBeGreaterThan(0.5);
  });

  it('flags an item few get right as too hard', () => {
    expect(flagsOf('hard')).toContain('too_hard');
  });

  it('raises no flag on a moderate, discriminating item with working distractors', () => {
    expect(flagsOf('good')).toEqual([]);
  });

  it('gives only insufficient_data below minN candidates, even for an item that would otherwise be flagged', () => {
    const few = itemStatistics(flagData(20), FLAG_ITEMS);
    for (const s of few) expect(s.flags).toEqual(['insufficient_data']);
  });
});

describe('scoreSummary', () => {
  it('reports mean, sample SD (n − 1), range and a histogram indexed by raw score', () => {
    const summary = scoreSummary([2, 4, 4, 5], 5);
    expect(summary.n).toBe(4);
    expect(summary.mean).toBeCloseTo(3.75, 12);
    expect(summary.sd).toBeCloseTo(Math.sqrt(4.75 / 3), 12);
    expect([summary.min, summary.max]).toEqual([2, 5]);
    expect(summary.histogram).toEqual([0, 0, 1, 0, 2, 1]);
  });

  it('rejects a total outside 0..maxScore rather than dropping it from the histogram', () => {
    expect(() => scoreSummary([3, 6], 5)).toThrow(RangeError);
  });
});

describe('kr20', () => {
  it('equals the textbook KR-20 when everyone takes the same form: 4/3 · (1 − (5/6)/(5/3)) = 2/3', () => {
    // p = 4/6, 4/6, 3/6, 1/6 → Σpq = 30/36; totals 4,3,2,2,1,0 → σ² = 10/6 (population).
    expect(kr20(SMALL)).toBeCloseTo(2 / 3, 12);
  });

  it('pools forms that differ: Σpq per candidate uses each item’s facility over everyone who saw it', () => {
    // X seen by c1 c2 c3 (p 2/3), Y by c1 c2 c4 (p 1/3), Z by c3 c4 (p 1/2).
    // Σpq: c1, c2 = 4/9; c3, c4 = 17/36 → mean 11/24. Totals 2,1,1,0 → σ² = 1/2. KR-20 = 2 · (1 − 11/12) = 1/6.
    const data = [
      answer('c1', 'X', 'a', 'a'),
      answer('c1', 'Y', 'a', 'a'),
      answer('c2', 'X', 'a', 'a'),
      answer('c2', 'Y', 'a', 'b'),
      answer('c3', 'X', 'a', 'b'),
      answer('c3', 'Z', 'a', 'a'),
      answer('c4', 'Y', 'a', 'b'),
      answer('c4', 'Z', 'a', 'b'),
    ];
    expect(kr20(data)).toBeCloseTo(1 / 6, 12);
  });

  it('accepts precomputed totals and gives the same value', () => {
    expect(kr20(SMALL, candidateTotals(SMALL))).toBeCloseTo(2 / 3, 12);
  });

  it('is null with fewer than 2 candidates or zero total-score variance', () => {
    expect(kr20(SMALL.filter((r) => r.candidateId === 'c1'))).toBeNull();
    expect(kr20(SMALL.filter((r) => r.candidateId === 'c3' || r.candidateId === 'c4'))).toBeNull();
  });

  it('refuses forms of different lengths instead of silently mixing k', () => {
    expect(() => kr20([...SMALL, answer('c7', 'I1', 'a', 'a')])).toThrow(/same number of scored items/);
  });
});

describe('standardErrorOfMeasurement', () => {
  it('is SD · √(1 − reliability)', () => {
    expect(standardErrorOfMeasurement(4, 0.75)).toBeCloseTo(2, 12);
  });

  it('treats a negative reliability estimate as 0, so SEM never exceeds SD', () => {
    expect(standardErrorOfMeasurement(4, -0.2)).toBeCloseTo(4, 12);
  });
});

describe('decisionConsistency (Subkoviak 1976)', () => {
  it('matches a hand computation: n = 2, cut 1, ρ = 0.5, totals 0 and 2', () => {
    // τ̂ = 0.25 and 0.75 → P = 0.4375 and 0.9375 → p0 = 0.6953125, p̄ = 0.6875, pc = 0.5703125, κ = 0.125 / 0.4296875.
    const result = decisionConsistency([0, 2], 2, 1, 0.5);
    expect(result.agreement).toBeCloseTo(0.6953125, 12);
    expect(result.kappa).toBeCloseTo(0.125 / 0.4296875, 12);
    expect(result.passRate).toBe(0.5);
  });

  it('with perfect reliability and totals far from the cut, classifications agree almost surely', () => {
    const result = decisionConsistency([0, 1, 2, 18, 19, 20], 20, 10, 1);
    expect(result.agreement).toBeGreaterThan(0.999);
    expect(result.kappa).toBeGreaterThan(0.99);
  });

  it('with reliability 0 everyone gets the same pass probability, so kappa is 0', () => {
    const result = decisionConsistency([4, 8, 10, 12, 16], 20, 11, 0);
    expect(result.kappa).toBeCloseTo(0, 12);
  });

  it('binomial tail: P(Bin(3, 0.5) ≥ 2) = 1/2, and the edges are exact', () => {
    expect(binomialUpperTail(3, 0.5, 2)).toBeCloseTo(0.5, 12);
    expect(binomialUpperTail(3, 0.5, 0)).toBe(1);
    expect(binomialUpperTail(3, 0.5, 4)).toBe(0);
    expect(binomialUpperTail(250, 0.6, 150)).toBeGreaterThan(0.5);
  });
});

describe('erfc and the χ²(1) p-value', () => {
  it('agrees with reference values to ~1e-7', () => {
    expect(erfc(0)).toBeCloseTo(1, 7);
    expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 7);
    expect(erfc(1)).toBeCloseTo(0.15729920705028513, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700792949715, 7);
  });

  it('gives p = 0.05 at the χ²(1) critical value 3.8415', () => {
    expect(chiSquareOneDfPValue(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquareOneDfPValue(0)).toBe(1);
  });
});

// Two scored items, S (studied) and F; total = S + F. Cells are (group, S, F) counts.
function mhData(cells: Array<[group: 'reference' | 'focal', s: number, f: number, count: number]>) {
  const groupOf = new Map<string, 'reference' | 'focal'>();
  const responses: ItemResponse[] = [];
  let id = 0;
  for (const [group, s, f, count] of cells) {
    for (let i = 0; i < count; i++) {
      const candidateId = `m${id++}`;
      groupOf.set(candidateId, group);
      responses.push(answer(candidateId, 'S', 'a', s ? 'a' : 'b'), answer(candidateId, 'F', 'a', f ? 'a' : 'b'));
    }
  }
  return { responses, groupOf };
}

describe('mantelHaenszel on a hand-computed example', () => {
  // Reference (S,F): (1,1)×4 (1,0)×3 (0,1)×1 (0,0)×2; focal: (1,1)×2 (1,0)×1 (0,1)×3 (0,0)×2.
  // Only the stratum total = 1 has both right and wrong: A=3 B=1 C=1 D=3, T=8 → α = (9/8)/(1/8) = 9.
  // ΣA = 7, ΣE = 0 + 2 + 4 = 6, ΣVar = 4·4·4·4/(64·7) = 4/7 → χ² = (1 − 0.5)² / (4/7) = 0.4375.
  const { responses, groupOf } = mhData([
    ['reference', 1, 1, 4],
    ['reference', 1, 0, 3],
    ['reference', 0, 1, 1],
    ['reference', 0, 0, 2],
    ['focal', 1, 1, 2],
    ['focal', 1, 0, 1],
    ['focal', 0, 1, 3],
    ['focal', 0, 0, 2],
  ]);

  it('computes α_MH, Δ_MH = −2.35 ln α and the continuity-corrected χ², matching on a total that includes the item', () => {
    const result = mantelHaenszel(responses, groupOf, 'S', { minGroup: 1 });
    expect(result).not.toBeNull();
    expect(result?.nReference).toBe(10);
    expect(result?.nFocal).toBe(8);
    expect(result?.alphaMH).toBeCloseTo(9, 10);
    expect(result?.deltaMH).toBeCloseTo(-2.35 * Math.log(9), 10);
    expect(result?.chiSquare).toBeCloseTo(0.4375, 10);
    expect(result?.pValue).toBeCloseTo(0.5083315735521454, 6);
  });

  it('calls a large but non-significant Δ category A', () => {
    expect(mantelHaenszel(responses, groupOf, 'S', { minGroup: 1 })?.category).toBe('A');
  });

  it('returns null when a group has fewer than minGroup (default 100) candidates who saw the item', () => {
    expect(mantelHaenszel(responses, groupOf, 'S')).toBeNull();
    expect(mantelHaenszel(responses, groupOf, 'S', { minGroup: 9 })).toBeNull();
  });
});

describe('mantelHaenszel on simulated DIF (2PL, 2,000 per group, equal abilities)', () => {
  // Item 0 (a = 1, b = 0) is 1 logit harder for the focal group: ln α ≈ 1, so Δ_MH ≈ −2.35.
  function simulateDif() {
    const random = seededRandom(20240611);
    const items = [{ a: 1, b: 0 }, ...generateItemParameters(19, random, { model: '2pl' })];
    const responses: ItemResponse[] = [];
    const groupOf = new Map<string, 'reference' | 'focal'>();
    for (const group of ['reference', 'focal'] as const) {
      for (let c = 0; c < 2000; c++) {
        const candidateId = `${group}-${c}`;
        const theta = normal(random);
        groupOf.set(candidateId, group);
        items.forEach((item, i) => {
          const shifted = group === 'focal' && i === 0 ? { ...item, b: item.b + 1 } : item;
          const { correct, chosenIndex } = simulateResponse(theta, shifted, random);
          responses.push({ candidateId, itemKey: `item${i}`, chosen: OPTIONS[chosenIndex], correct, scored: true });
        });
      }
    }
    return { responses, groupOf };
  }
  const { responses, groupOf } = simulateDif();

  it('puts the shifted item in category C with Δ < 0 (it favours the reference group)', () => {
    const result = mantelHaenszel(responses, groupOf, 'item0');
    expect(result?.category).toBe('C');
    expect(result?.deltaMH).toBeLessThan(-1.5);
    expect(result?.pValue).toBeLessThan(0.001);
  });

  it('leaves every item without DIF in category A', () => {
    for (let i = 1; i < 20; i++) expect(mantelHaenszel(responses, groupOf, `item${i}`)?.category).toBe('A');
  });
});

describe('pearson and spearman', () => {
  it('spearman gives tied values their average rank: x = (1,2,2,3), y = (1,3,2,4) → 3/√10', () => {
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(3 / Math.sqrt(10), 12);
  });

  it('spearman is 1 for any increasing relation, where pearson is not', () => {
    const x = [1, 2, 3, 4, 5];
    const y = x.map((v) => Math.exp(v));
    expect(spearman(x, y)).toBeCloseTo(1, 12);
    expect(pearson(x, y)).toBeLessThan(0.95);
  });

  it('is null when either variable has zero variance, and throws on different lengths', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});
