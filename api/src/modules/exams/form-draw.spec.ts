import { assembleForm, formMatchesBlueprint, shuffle } from './form-draw';

describe('form assembly', () => {
  const chosen = Array.from({ length: 20 }, (_, i) => ({ itemId: `D0${(i % 8) + 1}-${i}`, versionId: `v${i}`, domain: `D0${(i % 8) + 1}` }));

  it('numbers 20 positions, shows every option once, with opaque ids that differ between forms', () => {
    const a = assembleForm(chosen, () => ['a', 'b', 'c', 'd']);
    const b = assembleForm(chosen, () => ['a', 'b', 'c', 'd']);
    expect(a.map((q) => q.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const q of a) {
      expect(q.options.map((o) => o.source).sort()).toEqual(['a', 'b', 'c', 'd']);
      for (const o of q.options) expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const ids = new Set(a.flatMap((q) => q.options.map((o) => o.id)));
    expect(b.some((q) => q.options.some((o) => ids.has(o.id)))).toBe(false);
  });

  it('mixes question order across domains and shuffles options (not always the file order)', () => {
    const forms = Array.from({ length: 50 }, () => assembleForm(chosen, () => ['a', 'b', 'c', 'd']));
    const firstDomains = new Set(forms.map((f) => f[0].domain));
    expect(firstDomains.size).toBeGreaterThan(3);
    const keyFirst = forms.flatMap((f) => f.map((q) => q.options[0].source === 'a')).filter(Boolean).length;
    // Option a comes first about a quarter of the time (1000 questions): far from always.
    expect(keyFirst).toBeGreaterThan(150);
    expect(keyFirst).toBeLessThan(350);
  });

  it('shuffle is a permutation and uses the given random source', () => {
    expect(shuffle([1, 2, 3, 4], () => 0)).toEqual([2, 3, 4, 1]);
    expect(shuffle([1, 2, 3, 4]).sort()).toEqual([1, 2, 3, 4]);
  });

  it('checks a form against the blueprint', () => {
    const blueprint = [
      { domain: 'D01', count: 1 },
      { domain: 'D02', count: 1 },
    ];
    expect(formMatchesBlueprint([{ itemId: 'x', domain: 'D01' }, { itemId: 'y', domain: 'D02' }], blueprint)).toBe(true);
    expect(formMatchesBlueprint([{ itemId: 'x', domain: 'D01' }, { itemId: 'x', domain: 'D02' }], blueprint)).toBe(false);
    expect(formMatchesBlueprint([{ itemId: 'x', domain: 'D01' }, { itemId: 'y', domain: 'D01' }], blueprint)).toBe(false);
  });
});
