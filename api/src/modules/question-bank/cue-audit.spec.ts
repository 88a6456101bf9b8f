import { contentStems, keyChance, type OptionFeatures, probabilityAtLeast, seededRandom } from './cue-audit';

const option = (key: boolean): OptionFeatures => ({
  key,
  length: 10,
  lengthRank: 2.5,
  cues: { justifying: false, absolute: false, hedge: false, negation: false },
  psfOverlap: 0,
  convergence: 0,
});

describe('cue audit building blocks', () => {
  it('stems word families together and drops stopwords, so "classified" meets "classification"', () => {
    expect([...contentStems('The classification of data types')]).toEqual([...contentStems('classified data type')]);
    expect(contentStems('it is the and of')).toEqual(new Set());
  });

  it('gives a strategy 1/k of the key when it ties k options at the top, and 0 when the key is not among them', () => {
    const options = [option(true), option(false), option(false), option(false)];
    expect(keyChance([1, 1, 0, 0], options)).toBe(0.5);
    expect(keyChance([0, 1, 0, 0], options)).toBe(0);
    expect(keyChance([3, 3, 3, 3], options)).toBe(0.25);
  });

  it('computes the chance of at least k successes exactly (Poisson-binomial)', () => {
    expect(probabilityAtLeast([0.5, 0.5], 1)).toBeCloseTo(0.75, 12);
    expect(probabilityAtLeast([0.25, 0.25, 0.25], 3)).toBeCloseTo(1 / 64, 12);
    // A guesser at 25% on 20 items passes 14 or more about 3 times in 100,000.
    expect(probabilityAtLeast(new Array(20).fill(0.25), 14)).toBeCloseTo(2.95e-5, 6);
  });

  it('draws the same sequence for the same seed, so the audit prints the same figures every run', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
