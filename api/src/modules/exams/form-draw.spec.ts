import * as path from 'node:path';
import { loadBank } from '../question-bank/bank-files';
import { seededRandom } from '../question-bank/cue-audit';
import {
  assembleForm,
  chooseScoredItems,
  choosePretestItems,
  expectedFacility,
  formMatchesBlueprint,
  type PoolItem,
  shuffle,
} from './form-draw';

describe('form assembly', () => {
  const chosen = Array.from({ length: 20 }, (_, i) => ({
    itemId: `D0${(i % 8) + 1}-${i}`,
    versionId: `v${i}`,
    domain: `D0${(i % 8) + 1}`,
  }));

  it('numbers 20 positions, shows every option once, with opaque ids that differ between forms', () => {
    const a = assembleForm(chosen, [], () => ['a', 'b', 'c', 'd']);
    const b = assembleForm(chosen, [], () => ['a', 'b', 'c', 'd']);
    expect(a.map((q) => q.position)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    for (const q of a) {
      expect(q.options.map((o) => o.source).sort()).toEqual(['a', 'b', 'c', 'd']);
      for (const o of q.options) expect(o.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const ids = new Set(a.flatMap((q) => q.options.map((o) => o.id)));
    expect(b.some((q) => q.options.some((o) => ids.has(o.id)))).toBe(false);
  });

  it('mixes question order across domains and shuffles options (not always the file order)', () => {
    const forms = Array.from({ length: 50 }, () => assembleForm(chosen, [], () => ['a', 'b', 'c', 'd']));
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
    expect(
      formMatchesBlueprint(
        [
          { itemId: 'x', domain: 'D01' },
          { itemId: 'y', domain: 'D02' },
        ],
        blueprint,
      ),
    ).toBe(true);
    expect(
      formMatchesBlueprint(
        [
          { itemId: 'x', domain: 'D01' },
          { itemId: 'x', domain: 'D02' },
        ],
        blueprint,
      ),
    ).toBe(false);
    expect(
      formMatchesBlueprint(
        [
          { itemId: 'x', domain: 'D01' },
          { itemId: 'y', domain: 'D01' },
        ],
        blueprint,
      ),
    ).toBe(false);
  });

  it('mixes pretest questions in among the scored ones, unmarked, and counts only scored ones against the blueprint', () => {
    const pretest = [
      { itemId: 'P-1', versionId: 'p1', domain: 'D03' },
      { itemId: 'P-2', versionId: 'p2', domain: 'D05' },
    ];
    const forms = Array.from({ length: 40 }, () => assembleForm(chosen, pretest, () => ['a', 'b', 'c', 'd']));
    for (const form of forms) {
      expect(form).toHaveLength(22);
      expect(
        form
          .filter((q) => !q.scored)
          .map((q) => q.itemId)
          .sort(),
      ).toEqual(['P-1', 'P-2']);
    }
    // Not always at the end: a candidate cannot tell them apart by position.
    expect(new Set(forms.map((f) => f.findIndex((q) => !q.scored))).size).toBeGreaterThan(5);
    const blueprint = [...new Set(chosen.map((c) => c.domain))].map((domain) => ({
      domain,
      count: chosen.filter((c) => c.domain === domain).length,
    }));
    expect(formMatchesBlueprint(forms[0], blueprint)).toBe(true);
  });

  it('prefers pretest items whose criterion the form does not test, unseen first', () => {
    const item = (id: string, criterion: string, seen = false): PoolItem => ({
      itemId: id,
      versionId: id,
      domain: criterion.slice(0, 3),
      criterion,
      difficulty: 'medium',
      seen,
    });
    const picked = choosePretestItems(
      [item('a', 'D01.1'), item('b', 'D02.1', true), item('c', 'D03.1'), item('d', 'D04.1')],
      2,
      new Set(['D01.1']),
    );
    expect(picked.map((p) => p.itemId)).toEqual(['c', 'd']);
  });
});

describe('balanced form assembly over 10,000 draws of the real bank', () => {
  const bankDir = path.resolve(__dirname, '../../../../question-bank');
  const bank = loadBank(bankDir);
  const blueprint = bank.blueprint!;
  const counts = Object.entries(blueprint.domains).map(([domain, count]) => ({ domain, count }));
  const active = bank.items.filter((i) => i.status === 'active');
  const DRAWS = 10_000;

  it('never repeats a criterion, keeps every form inside the difficulty band, and spreads exposure evenly', () => {
    const random = seededRandom(11);
    const exposure = new Map(active.map((i) => [i.id, 0]));
    const facilities: number[] = [];
    let repeats = 0;
    for (let draw = 0; draw < DRAWS; draw++) {
      // What the repository query returns: each domain's pool, least exposed first, jittered by under two uses.
      const candidates = new Map<string, PoolItem[]>();
      for (const { domain } of counts) {
        const pool = active
          .filter((i) => i.domain === domain)
          .map((i) => ({ i, order: exposure.get(i.id)! + random() * 1.5 }))
          .sort((a, b) => a.order - b.order)
          .map(({ i }) => ({ itemId: i.id, versionId: i.id, domain, criterion: i.criterion, difficulty: i.difficulty, seen: false }));
        candidates.set(domain, pool);
      }
      const form = chooseScoredItems(candidates, counts, blueprint);
      if (!formMatchesBlueprint(form.items, counts)) throw new Error(`draw ${draw} does not match the blueprint`);
      repeats += form.criterionRepeats;
      facilities.push(form.facility);
      for (const item of form.items) exposure.set(item.itemId, exposure.get(item.itemId)! + 1);
    }
    const outside = facilities.filter((f) => Math.abs(f - blueprint.targetFacility) > blueprint.facilityBand + 1e-9).length;
    const mean = facilities.reduce((a, b) => a + b, 0) / DRAWS;
    const sd = Math.sqrt(facilities.reduce((a, f) => a + (f - mean) ** 2, 0) / DRAWS);
    // Exposure is compared within a domain: the blueprint gives D01 three questions from its pool and D03 two.
    const spread = counts.map(({ domain, count }) => {
      const uses = active.filter((i) => i.domain === domain).map((i) => exposure.get(i.id)!);
      const expected = (DRAWS * count) / uses.length;
      const sdUses = Math.sqrt(uses.reduce((a, u) => a + (u - expected) ** 2, 0) / uses.length);
      return {
        domain,
        expected: Math.round(expected),
        min: Math.min(...uses),
        max: Math.max(...uses),
        cv: +(sdUses / expected).toFixed(3),
      };
    });
    const report = {
      draws: DRAWS,
      criterionRepeats: repeats,
      formsOutsideBand: outside,
      facility: {
        target: blueprint.targetFacility,
        band: blueprint.facilityBand,
        mean: +mean.toFixed(4),
        sd: +sd.toFixed(4),
        min: +Math.min(...facilities).toFixed(3),
        max: +Math.max(...facilities).toFixed(3),
      },
      exposure: spread,
    };
    process.stdout.write(`form assembly over ${DRAWS} draws: ${JSON.stringify(report)}\n`);
    expect(repeats).toBe(0);
    expect(outside).toBe(0);
    // Every active item is used, none more than 1.25 times (or less than 0.75 times) its domain's fair share.
    for (const d of spread) {
      expect(d.min).toBeGreaterThan(0.75 * d.expected);
      expect(d.max).toBeLessThan(1.25 * d.expected);
    }
    expect(expectedFacility(active)).toBeGreaterThan(blueprint.targetFacility - 0.05);
  });
});
