import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixtureItem, lineIn, writeFixtureBank } from '../../../test/bank-fixture';
import { loadBank } from './bank-files';
import { validateBank } from './bank-validator';
import { loadFramework } from './framework';

const check = (dir: string) => validateBank(loadBank(dir), loadFramework(dir)).map((p) => `${p.file}:${p.line}: ${p.message}`);

describe('bank:check validator', () => {
  it('passes the real question bank', () => {
    const dir = path.resolve(__dirname, '../../../../question-bank');
    expect(check(dir)).toEqual([]);
  });

  it('passes a valid fixture bank', () => {
    expect(check(writeFixtureBank())).toEqual([]);
  });

  it('reports a schema error with the file and line of the item', () => {
    const dir = writeFixtureBank((d) => {
      const item = d.get(2)![3] as unknown as Record<string, unknown>;
      delete item.stem;
      item.difficulty = 'tricky';
    });
    const line = lineIn(dir, 'items/D02.yaml', 'id: D02-004');
    expect(check(dir)).toEqual([
      // The broken item is left out of the bank, so its criterion is now thinly covered too.
      'items/D02.yaml:1: criterion D02.4 has 1 active item; cover it at least 2 times',
      `items/D02.yaml:${line}: item D02-004: \`difficulty\` must be one of easy, medium, hard`,
      `items/D02.yaml:${line}: item D02-004: \`stem\` must be a scenario of at least 20 characters`,
    ]);
  });

  it('reports duplicate ids, pointing at the first definition', () => {
    const dir = writeFixtureBank((d) => {
      d.get(3)![9] = fixtureItem(3, 11, { id: 'D03-002' });
    });
    const first = lineIn(dir, 'items/D03.yaml', 'id: D03-002');
    const second = lineIn(dir, 'items/D03.yaml', 'id: D03-002', 2);
    expect(second).toBeGreaterThan(first);
    expect(check(dir)).toContain(`items/D03.yaml:${second}: item D03-002: duplicate id (first defined in items/D03.yaml:${first})`);
  });

  it('reports an item without exactly one key', () => {
    const dir = writeFixtureBank((d) => {
      d.get(1)![0].options[1].key = true;
      delete d.get(1)![1].options[0].key;
    });
    const problems = check(dir);
    expect(problems).toContain(`items/D01.yaml:${lineIn(dir, 'items/D01.yaml', 'id: D01-001')}: item D01-001: needs exactly one key (found 2)`);
    expect(problems).toContain(`items/D01.yaml:${lineIn(dir, 'items/D01.yaml', 'id: D01-002')}: item D01-002: needs exactly one key (found 0)`);
  });

  it('reports unknown domains and criteria', () => {
    const dir = writeFixtureBank((d) => {
      d.get(4)![0].criterion = 'D04.9';
      d.get(4)![1].criterion = 'D05.1';
    });
    const problems = check(dir);
    expect(problems).toContain(`items/D04.yaml:${lineIn(dir, 'items/D04.yaml', 'id: D04-001')}: item D04-001: unknown criterion "D04.9" for domain D04`);
    expect(problems).toContain(`items/D04.yaml:${lineIn(dir, 'items/D04.yaml', 'id: D04-002')}: item D04-002: unknown criterion "D05.1" for domain D04`);

    const other = writeFixtureBank();
    writeFileSync(path.join(other, 'items/D09.yaml'), 'domain: D09\nitems:\n' + '  - id: D09-001\n');
    expect(check(other).some((p) => p.startsWith('items/D09.yaml:3: item D09-001: `id` must look like D01-001'))).toBe(true);
  });

  it('reports near-duplicate stems across domains', () => {
    const dir = writeFixtureBank((d) => {
      d.get(6)![2].stem = d.get(5)![4].stem.replace('what next', 'what now');
    });
    const line = lineIn(dir, 'items/D06.yaml', 'id: D06-003');
    expect(check(dir)).toEqual([
      expect.stringMatching(new RegExp(`^items/D06.yaml:${line}: item D06-003: stem is a near-duplicate of D05-005 \\(\\d+% shared word trigrams\\)$`)),
    ]);
  });

  it('reports a domain whose active pool is shallower than 3 × its blueprint count', () => {
    const dir = writeFixtureBank((d) => {
      // D01 has 3 questions in the blueprint: 8 active items is below 9.
      d.get(1)![8].status = 'retired';
      d.get(1)![9].status = 'draft';
    });
    expect(check(dir)).toContain("items/D01.yaml:1: D01 has 8 active items; the blueprint's 3 questions need at least 9");
  });

  it('reports a criterion that no active item covers', () => {
    const dir = writeFixtureBank((d) => {
      d.get(7)!.forEach((item, i) => item.criterion === 'D07.3' && (d.get(7)![i].criterion = 'D07.1'));
    });
    expect(check(dir)).toContain('items/D07.yaml:1: criterion D07.3 has no active item');
  });

  it('reports a domain where the key is the longest option too often', () => {
    const dir = writeFixtureBank((d) => {
      for (const item of d.get(8)!.slice(0, 5)) item.options[0].text += ' with a long and very detailed justification attached';
    });
    expect(check(dir)).toContain('items/D08.yaml:1: D08: the key is the longest option in 5 of 10 active items (50%, limit 40%)');
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = writeFixtureBank();
    writeFileSync(path.join(dir, 'items/D02.yaml'), 'domain: D02\nitems:\n  - id: D02-001\n    stem: "unterminated\n');
    expect(check(dir).some((p) => /^items\/D02.yaml:\d+: YAML: /.test(p))).toBe(true);
  });

  it('reports a blueprint that does not add up or starves a domain', () => {
    const dir = writeFixtureBank();
    writeFileSync(
      path.join(dir, 'blueprint.yaml'),
      'exam: AIDA\nquestionCount: 20\ntimeLimitMinutes: 30\npassMarkPercent: 70\ndomains: { D01: 1, D02: 3, D03: 2, D04: 3, D05: 3, D06: 2, D07: 2, D08: 2 }\n',
    );
    const problems = check(dir);
    expect(problems).toContain('blueprint.yaml:1: blueprint gives D01 1 questions; every domain needs at least 2');
    expect(problems).toContain('blueprint.yaml:1: blueprint domain counts add up to 18, not questionCount 20');
  });

  it('refuses "all of the above" and vendor names', () => {
    const dir = writeFixtureBank((d) => {
      d.get(3)![0].options[3].text = 'All of the above';
      d.get(3)![1].stem += ' They host it on Azure.';
    });
    const problems = check(dir);
    expect(problems).toContain(`items/D03.yaml:${lineIn(dir, 'items/D03.yaml', 'id: D03-001')}: item D03-001: uses a banned option form (all of the above)`);
    expect(problems).toContain(
      `items/D03.yaml:${lineIn(dir, 'items/D03.yaml', 'id: D03-002')}: item D03-002: names a vendor or product ("Azure"); items must be vendor-neutral`,
    );
  });
});
