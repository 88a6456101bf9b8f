import { type ItemResponse, itemStatistics, kr20, spearman } from './psychometrics';
import { generateItemParameters, normal, populationKr20, probabilityCorrect, seededRandom, simulateResponse } from './simulation';

const OPTIONS = ['a', 'b', 'c', 'd'];

function draws(random: () => number, count: number): number[] {
  return Array.from({ length: count }, random);
}

function meanAndSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return { mean, sd: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1)) };
}

describe('seededRandom and normal', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    expect(draws(seededRandom(42), 5)).toEqual(draws(seededRandom(42), 5));
    expect(draws(seededRandom(43), 5)).not.toEqual(draws(seededRandom(42), 5));
  });

  it('stays in [0, 1) with a mean near 1/2', () => {
    const values = draws(seededRandom(7), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(meanAndSd(values).mean).toBeCloseTo(0.5, 2);
  });

  it('normal draws have mean ≈ 0 and SD ≈ 1', () => {
    const random = seededRandom(11);
    const { mean, sd } = meanAndSd(Array.from({ length: 20_000 }, () => normal(random)));
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});

describe('probabilityCorrect (logit metric, no D = 1.7)', () => {
  it('is 1/2 at θ = b, and 1/(1 + e⁻¹) one logit above b when a = 1', () => {
    expect(probabilityCorrect(0.3, { a: 1.4, b: 0.3 })).toBeCloseTo(0.5, 12);
    expect(probabilityCorrect(1, { a: 1, b: 0 })).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('rises from the guessing floor c', () => {
    expect(probabilityCorrect(0, { a: 1, b: 0, c: 0.25 })).toBeCloseTo(0.625, 12);
    expect(probabilityCorrect(-40, { a: 1, b: 0, c: 0.25 })).toBeCloseTo(0.25, 12);
  });
});

describe('generateItemParameters', () => {
  it('fixes a = 1 under Rasch and draws b with the requested mean and SD', () => {
    const items = generateItemParameters(4000, seededRandom(3), { model: 'rasch', bMean: 0.5, bSd: 2 });
    expect(items.every((item) => item.a === 1)).toBe(true);
    const b = meanAndSd(items.map((item) => item.b));
    expect(b.mean).toBeCloseTo(0.5, 1);
    expect(b.sd).toBeCloseTo(2, 1);
  });

  it('draws lognormal, positive slopes under 2PL', () => {
    const items = generateItemParameters(4000, seededRandom(5), { model: '2pl', aMeanLog: 0, aSdLog: 0.3 });
    expect(items.every((item) => item.a > 0)).toBe(true);
    const logA = meanAndSd(items.map((item) => Math.log(item.a)));
    expect(Math.abs(logA.mean)).toBeLessThan(0.02);
    expect(logA.sd).toBeCloseTo(0.3, 1);
  });
});

describe('simulateResponse', () => {
  it('is correct with the model probability and then chooses the key', () => {
    const random = seededRandom(9);
    const item = { a: 1.2, b: 0.4, keyIndex: 2 };
    const results = Array.from({ length: 20_000 }, () => simulateResponse(0, item, random));
    const share = results.filter((r) => r.correct).length / results.length;
    expect(Math.abs(share - probabilityCorrect(0, item))).toBeLessThan(0.015);
    expect(results.filter((r) => r.correct).every((r) => r.chosenIndex === 2)).toBe(true);
  });

  it('picks wrong answers by distractor weight, skipping the key’s position', () => {
    const random = seededRandom(13);
    const wrong = Array.from({ length: 500 }, () => simulateResponse(-10, { a: 1, b: 5, keyIndex: 0 }, random, [0, 0, 1]));
    expect(wrong.every((r) => !r.correct && r.chosenIndex === 3)).toBe(true);
    const skipped = Array.from({ length: 500 }, () => simulateResponse(-10, { a: 1, b: 5, keyIndex: 0 }, random, [1, 1, 1]));
    expect(new Set(skipped.map((r) => r.chosenIndex))).toEqual(new Set([1, 2, 3]));
  });
});

describe('populationKr20', () => {
  it('is 0 when items do not depend on ability (a = 0): all variance is error', () => {
    const form = Array.from({ length: 10 }, (_, i) => ({ a: 0, b: i - 5 }));
    expect(populationKr20([form])).toBeCloseTo(0, 10);
  });

  it('rises with discrimination', () => {
    const form = (a: number) => Array.from({ length: 20 }, (_, i) => ({ a, b: (i - 10) / 5 }));
    expect(populationKr20([form(2)])).toBeGreaterThan(populationKr20([form(1)]));
  });

  it('counts the spread between form means as score variance (forms of different difficulty)', () => {
    // Mixing an easy and a hard form adds between-form variance to σ²_X while Σ p̄q̄ is unchanged per form.
    const form = (b: number) => Array.from({ length: 20 }, () => ({ a: 1, b }));
    const mixed = populationKr20([form(-1), form(1)]);
    const separate = (populationKr20([form(-1)]) + populationKr20([form(1)])) / 2;
    expect(mixed).toBeGreaterThan(separate);
  });
});

// A pool of 120 2PL items; 2,000 candidates θ ~ N(0, 1), each taking a random 20-item form drawn from the pool.
function simulateRecovery() {
  const random = seededRandom(1234);
  const pool = generateItemParameters(120, random, { model: '2pl' });
  const responses: ItemResponse[] = [];
  const forms: Array<Array<{ a: number; b: number }>> = [];
  for (let c = 0; c < 2000; c++) {
    const theta = normal(random);
    const formIndexes = drawForm(pool.length, 20, random);
    forms.push(formIndexes.map((i) => pool[i]));
    for (const i of formIndexes) {
      const { correct, chosenIndex } = simulateResponse(theta, pool[i], random);
      responses.push({ candidateId: `c${c}`, itemKey: `item${i}`, chosen: OPTIONS[chosenIndex], correct, scored: true });
    }
  }
  return { pool, responses, forms };
}

// Partial Fisher–Yates: the first `size` entries of a shuffled 0..poolSize−1.
function drawForm(poolSize: number, size: number, random: () => number): number[] {
  const indexes = Array.from({ length: poolSize }, (_, i) => i);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (poolSize - i));
    [indexes[i], indexes[j]] = [indexes[j], indexes[i]];
  }
  return indexes.slice(0, size);
}

describe('recovery of known parameters from simulated responses', () => {
  const { pool, responses, forms } = simulateRecovery();

  it('orders items by difficulty: Spearman(facility, −b) ≥ 0.9', () => {
    const items = pool.map((_, i) => ({ itemKey: `item${i}`, options: OPTIONS, key: 'a' }));
    const facility = itemStatistics(responses, items).map((s) => s.facility ?? Number.NaN);
    expect(
      spearman(
        facility,
        pool.map((item) => -item.b),
      ),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('pooled KR-20 from the responses is within ±0.05 of the model value for the forms actually used', () => {
    const observed = kr20(responses);
    const expected = populationKr20(forms);
    expect(observed).not.toBeNull();
    expect(Math.abs((observed ?? 0) - expected)).toBeLessThanOrEqual(0.05);
  });
});
