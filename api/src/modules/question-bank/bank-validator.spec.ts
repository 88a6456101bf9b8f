import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixtureItem, lineIn, writeFixtureBank } from '../../../test/bank-fixture';
import { loadBank } from './bank-files';
import { contentHash, contentOf } from './item-content';
import { type ExportedReview, readReviewsFile, renderReviewsFile } from './reviews-file';
import { validateBank } from './bank-validator';
import { loadFramework } from '../programme/framework';

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
      'items/D02.yaml:1: criterion D02.4 has 5 active items; cover it at least 6 times',
      `items/D02.yaml:${line}: item D02-004: \`difficulty\` must be one of easy, medium, hard`,
      `items/D02.yaml:${line}: item D02-004: \`stem\` must be a scenario of at least 20 characters`,
    ]);
  });

  it('reports duplicate ids, pointing at the first definition', () => {
    const dir = writeFixtureBank((d) => {
      d.get(3)![9] = fixtureItem(3, 33, { id: 'D03-002' });
    });
    const first = lineIn(dir, 'items/D03.yaml', 'id: D03-002');
    const second = lineIn(dir, 'items/D03.yaml', 'id: D03-002', 2);
    expect(second).toBeGreaterThan(first);
    expect(check(dir)).toContain(`items/D03.yaml:${second}: item D03-002: duplicate id (first defined in items/D03.yaml:${first})`);
  });

  it('reports an item without exactly one key', () => {
    const dir = writeFixtureBank((d) => {
      // Fixture item n has its key at position n mod 4.
      d.get(1)![0].options[0].key = true;
      delete d.get(1)![1].options[2].key;
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

  it('reports a domain with fewer than 30 active items', () => {
    const dir = writeFixtureBank((d) => {
      d.get(1)![30].status = 'retired';
      d.get(1)![31].status = 'draft';
      d.get(1)![29].status = 'pretest';
    });
    expect(check(dir)).toContain("items/D01.yaml:1: D01 has 29 active items; it needs at least 30 (30 per domain, 3 × the blueprint's 3 questions)");
  });

  it('reports a criterion that no active item covers', () => {
    const dir = writeFixtureBank((d) => {
      d.get(7)!.forEach((item, i) => item.criterion === 'D07.3' && (d.get(7)![i].criterion = 'D07.1'));
    });
    expect(check(dir)).toContain('items/D07.yaml:1: criterion D07.3 has no active item');
  });

  it('reports a criterion whose items all share one difficulty', () => {
    const dir = writeFixtureBank((d) => {
      for (const item of d.get(3)!) if (item.criterion === 'D03.2') item.difficulty = 'medium';
    });
    expect(check(dir)).toContain('items/D03.yaml:1: criterion D03.2: its active items span 1 difficulty level; use at least 2');
  });

  it('requires a reference on every item that is not retired', () => {
    const dir = writeFixtureBank((d) => {
      delete d.get(6)![0].reference;
      delete d.get(6)![1].reference;
      d.get(6)![1].status = 'retired';
    });
    const line = lineIn(dir, 'items/D06.yaml', 'id: D06-001');
    const problems = check(dir);
    expect(problems).toContain(`items/D06.yaml:${line}: item D06-001: \`reference\` is required: the criterion text the key rests on, and any public source`);
    expect(problems.some((p) => p.includes('D06-002: `reference`'))).toBe(false);
  });

  describe('cue audit', () => {
    const inDomain = (problems: string[], domain: string) => problems.filter((p) => p.startsWith(`items/${domain}.yaml:`));

    it('reports justifying clauses that only distractors carry, with the measured shares and the items', () => {
      const dir = writeFixtureBank((d) => {
        for (const item of d.get(5)!.slice(0, 12)) {
          for (const option of item.options.filter((o) => !o.key).slice(0, 2)) option.text += ' because it is quicker';
        }
      });
      const line = lineIn(dir, 'items/D05.yaml', 'id: D05-001');
      expect(inDomain(check(dir), 'D05')).toContainEqual(
        expect.stringMatching(
          new RegExp(`^items/D05.yaml:${line}: D05 cue audit: justifying wording in 0% of keys vs 25% of distractors \\(gap 25%, limit 15%\\); distractors with it: D05-001 \\(line ${line}\\)`),
        ),
      );
    });

    it('reports absolutes that keys carry far more often than distractors', () => {
      const dir = writeFixtureBank((d) => {
        for (const item of d.get(2)!.slice(0, 10)) item.options.find((o) => o.key)!.text += ' every time';
      });
      expect(inDomain(check(dir), 'D02')).toContainEqual(expect.stringContaining('D02 cue audit: absolute wording in 31% of keys vs 0% of distractors (gap 31%, limit 15%)'));
    });

    it('reports an item whose key is the only option free of clauses and absolutes', () => {
      const dir = writeFixtureBank((d) => {
        for (const option of d.get(4)![6].options.filter((o) => !o.key)) option.text += ', since it always works';
      });
      const line = lineIn(dir, 'items/D04.yaml', 'id: D04-007');
      expect(check(dir)).toContain(
        `items/D04.yaml:${line}: item D04-007: the key is the only option without a justifying clause or an absolute (stem-blind "no-cue" finds it)`,
      );
    });

    it('reports a domain where the key is most often the longest option, and its length ratio', () => {
      const dir = writeFixtureBank((d) => {
        for (const item of d.get(8)!.slice(0, 16)) item.options.find((o) => o.key)!.text += ' with a long and detailed tail of extra words';
      });
      const problems = inDomain(check(dir), 'D08');
      expect(problems).toContainEqual(expect.stringMatching(/D08 cue audit: the key is the longest option in (5\d|6\d)% of items \(limit 40%\)/));
      expect(problems).toContainEqual(expect.stringMatching(/D08 cue audit: keys are on average 1\.\d\d× the length of their distractors \(allowed 0\.88–1\.12\)/));
    });

    it('reports keys that echo the PSF criterion wording more than their distractors', () => {
      const dir = writeFixtureBank((d) => {
        for (const item of d.get(7)!) item.options.find((o) => o.key)!.text += ' with a failure mode catalogue';
      });
      expect(inDomain(check(dir), 'D07')).toContainEqual(
        expect.stringMatching(/D07 cue audit: keys repeat 3\.00 more PSF-wording words than their distractors on average \(limit 0\.6\)/),
      );
    });

    it('fails the stem-blind simulation when an option-only strategy beats 40% and passes forms', () => {
      const dir = writeFixtureBank((d) => {
        for (const items of d.values()) for (const item of items.slice(0, 20)) item.options.find((o) => o.key)!.text += ' under review';
      });
      const problems = check(dir);
      expect(problems).toContainEqual(expect.stringMatching(/^items\/:1: stem-blind simulation: the best option-only strategy \("[a-z+-]+": .*\) scores \d+% per item \(limit 40%\)$/));
      expect(problems).toContainEqual(expect.stringMatching(/^items\/:1: stem-blind simulation: "[a-z+-]+" passes \d+\.\d% of simulated blueprint forms \(limit below 5%\)$/));
    });
  });

  it('reports a blueprint without a difficulty target for its forms', () => {
    const dir = writeFixtureBank();
    writeFileSync(
      path.join(dir, 'blueprint.yaml'),
      'exam: AIDA\nquestionCount: 20\ntimeLimitMinutes: 30\npassMarkPercent: 70\nfacilityBand: 0.5\n' +
        'domains: { D01: 3, D02: 3, D03: 2, D04: 3, D05: 3, D06: 2, D07: 2, D08: 2 }\n',
    );
    expect(check(dir)).toEqual(
      expect.arrayContaining([
        'blueprint.yaml:1: `targetFacility` must be a proportion between 0.2 and 0.95 (the expected share correct on a form)',
        'blueprint.yaml:1: `facilityBand` must be a proportion above 0 and at most 0.2',
      ]),
    );
  });

  describe('review evidence', () => {

    it('refuses an active item edited after it was adopted, naming the item and what it needs', () => {
      const dir = writeFixtureBank();
      const file = path.join(dir, 'items/D03.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Scenario 31a:', 'Scenario 31a (edited):'));
      const line = lineIn(dir, 'items/D03.yaml', 'id: D03-001');
      expect(check(dir)).toEqual([
        `items/D03.yaml:${line}: item D03-001: active but its current content has 0 approving reviews (needs 2 by people other than its author, exported by \`npm run bank:export-reviews\`, or an adoption in reviews.yaml); set it to draft and have it reviewed in the platform`,
      ]);
      // Set to draft, it leaves service and the check passes (the domain keeps 31 active items).
      writeFileSync(file, readFileSync(file, 'utf8').replace(/(id: D03-001\n(?:.*\n){2}\s+status: )active/, '$1draft'));
      expect(check(dir)).toEqual([]);
    });

    it('accepts two approving reviews of the current content by people other than the author, and counts no self-review', () => {
      const dir = writeFixtureBank((d) => {
        d.get(2)![4].author = 'Ada Author <ada@example.org>';
      });
      // Edited after adoption: only reviews of the new content count now.
      const file = path.join(dir, 'items/D02.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Scenario 25a:', 'Scenario 25a (edited):'));
      const bank = loadBank(dir);
      const item = bank.items.find((i) => i.id === 'D02-005')!;
      const review = (reviewer: string) => ({
        reviewer,
        date: '2026-12-01T10:00:00.000Z',
        verdict: 'approve',
        keyConfirmed: true,
        cueingOk: true,
        criterion: item.criterion,
        difficulty: item.difficulty,
        comment: '',
      });
      const adopted = readReviewsFile(dir)!;
      const withReviews = (reviewers: string[]) =>
        writeFileSync(
          path.join(dir, 'reviews.yaml'),
          renderReviewsFile({
            adoptions: adopted.adoptions,
            items: { 'D02-005': [{ contentHash: contentHash(contentOf(item)), version: 2, reviews: reviewers.map(review) as ExportedReview[], comments: [], stages: [] }] },
          }),
        );
      withReviews(['Ada Author <ada@example.org>', 'Bea Expert <bea@example.org>']);
      expect(check(dir)).toContainEqual(expect.stringContaining('item D02-005: active but its current content has 1 approving review '));
      withReviews(['Bea Expert <bea@example.org>', 'Cy Expert <cy@example.org>']);
      expect(check(dir)).toEqual([]);
    });

    it('refuses a bank whose reviews.yaml is missing', () => {
      const dir = writeFixtureBank();
      rmSync(path.join(dir, 'reviews.yaml'));
      expect(check(dir)).toEqual(['reviews.yaml:1: reviews.yaml is missing: 256 pretest/active items have no review evidence']);
    });
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
      'exam: AIDA\nquestionCount: 20\ntimeLimitMinutes: 30\npassMarkPercent: 70\ntargetFacility: 0.65\nfacilityBand: 0.02\n' +
        'domains: { D01: 1, D02: 3, D03: 2, D04: 3, D05: 3, D06: 2, D07: 2, D08: 2 }\n',
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
