import { ratingProblems } from './self-assessment-ratings';

const CODES = new Set(['D01.1', 'D01.2', 'D08.5']);

describe('ratingProblems', () => {
  it('accepts ratings 0 to 3 of known criteria, and an empty object (nothing rated yet)', () => {
    expect(ratingProblems({ 'D01.1': 0, 'D01.2': 3, 'D08.5': 2 }, CODES)).toEqual([]);
    expect(ratingProblems({}, CODES)).toEqual([]);
  });

  it('names a code that is not a criterion of the framework', () => {
    expect(ratingProblems({ 'D09.1': 1, 'D01.1': 1 }, CODES)).toEqual(['ratings: "D09.1" is not a criterion of the framework']);
  });

  it.each([[4], [-1], [1.5], ['2'], [null], [true]])('refuses the rating %p', (rating) => {
    expect(ratingProblems({ 'D01.1': rating }, CODES)).toEqual(['ratings: D01.1 must be a whole number from 0 to 3']);
  });

  it('names the first five problems and counts the rest', () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X${i}`, 1]));
    const problems = ratingProblems(many, CODES);
    expect(problems).toHaveLength(6);
    expect(problems[0]).toBe('ratings: "X0" is not a criterion of the framework');
    expect(problems[5]).toBe('ratings: 995 more problems');
  });
});
