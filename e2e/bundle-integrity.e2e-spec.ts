import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/platform';

/** Invariant 1: the SPA bundle carries no bank content — no keys, rationales, stems, notes or item ids. */
describe('SPA bundle integrity', () => {
  const assets = path.join(ROOT, 'web/dist/assets');
  const bundle = readdirSync(assets)
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(path.join(assets, f), 'utf8'))
    .join('\n');
  const items = readdirSync(path.join(ROOT, 'question-bank/items'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap(
      (f) =>
        parse(readFileSync(path.join(ROOT, 'question-bank/items', f), 'utf8')).items as Array<{
          id: string;
          stem: string;
          notes: string;
          options: Array<{ text: string; key?: boolean; rationale: string }>;
        }>,
    );

  it('was built from the real bank (the test has something to look for)', () => {
    expect(bundle.length).toBeGreaterThan(10_000);
    expect(items.length).toBeGreaterThanOrEqual(128);
  });

  it('contains no item id, stem, option, key, rationale or author note', () => {
    const leaks: string[] = [];
    for (const item of items) {
      const texts = [item.id, item.stem, item.notes, ...item.options.flatMap((o) => [o.text, o.rationale])];
      for (const text of texts) if (bundle.includes(text)) leaks.push(`${item.id}: ${text.slice(0, 60)}`);
    }
    expect(leaks).toEqual([]);
    expect(bundle).not.toMatch(/D0[1-8]-\d{3}/);
  });
});
