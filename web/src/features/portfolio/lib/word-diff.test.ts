import { describe, expect, it } from 'vitest';
import { wordDiff } from './word-diff';

describe('wordDiff', () => {
  it('marks the words removed and added between two versions', () => {
    expect(wordDiff('We log every request daily', 'We log and review every request weekly')).toEqual([
      { kind: 'same', text: 'We log ' },
      { kind: 'added', text: 'and review ' },
      { kind: 'same', text: 'every request ' },
      { kind: 'removed', text: 'daily' },
      { kind: 'added', text: 'weekly' },
    ]);
  });

  it('says nothing changed for equal texts, and shows a first text as all added', () => {
    expect(wordDiff('Same text', 'Same text')).toEqual([{ kind: 'same', text: 'Same text' }]);
    expect(wordDiff('', 'New narrative')).toEqual([{ kind: 'added', text: 'New narrative' }]);
    expect(wordDiff('', '')).toEqual([]);
  });

  it('keeps every word of both texts, in order', () => {
    const before = 'a b c d e f g';
    const after = 'a x c d y g z';
    const parts = wordDiff(before, after);
    expect(
      parts
        .filter((p) => p.kind !== 'added')
        .map((p) => p.text)
        .join(''),
    ).toBe(before);
    expect(
      parts
        .filter((p) => p.kind !== 'removed')
        .map((p) => p.text)
        .join(''),
    ).toBe(after);
  });
});
