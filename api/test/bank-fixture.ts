import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';

const REPO = path.resolve(__dirname, '../..');
const WORDS = (
  'amber basil cedar delta ember fjord garnet harbour indigo juniper kestrel lagoon meadow nectar orchid ' +
  'pebble quartz raven saffron thistle umber violet willow xenon yarrow zephyr alder birch copper dune'
).split(' ');

/** A distinct scenario sentence per (domain, n): no two fixture stems share a word trigram. */
function stem(domain: number, n: number): string {
  const w = (k: number) => WORDS[(domain * 7 + n * 3 + k * 11) % WORDS.length];
  return `Team ${domain}-${n} runs the ${w(0)} service for ${w(1)} clients near ${w(2)} and sees ${w(3)} ${n} drift ${domain}; what next ${n}x${domain}?`;
}

export interface FixtureItem {
  id: string;
  criterion: string;
  difficulty: 'easy' | 'medium' | 'hard';
  status: 'draft' | 'active' | 'retired';
  stem: string;
  options: Array<{ text: string; key?: true; rationale: string }>;
  notes: string;
}

export function fixtureItem(domain: number, n: number, overrides: Partial<FixtureItem> = {}): FixtureItem {
  const code = `D0${domain}`;
  return {
    id: `${code}-${String(n).padStart(3, '0')}`,
    criterion: `${code}.${((n - 1) % 5) + 1}`,
    difficulty: (['easy', 'medium', 'hard'] as const)[n % 3],
    status: 'active',
    stem: stem(domain, n),
    options: [
      { text: `Contain the change and measure it ${n}`, key: true, rationale: 'The best first step.' },
      { text: `Ask the model whether its own output is safe ${n}`, rationale: 'Self-assessment is not a control.' },
      { text: `Log every prompt in plain text forever ${n}`, rationale: 'Retention without purpose breaks D01.5.' },
      { text: `Wait for users to report problems ${n}`, rationale: 'Reactive, not monitored.' },
    ],
    notes: 'Fixture item.',
    ...overrides,
  };
}

/** A complete, valid bank in a temporary folder: 10 active items per domain, 2 per criterion. */
export function writeFixtureBank(mutate: (domains: Map<number, FixtureItem[]>) => void = () => undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'psf-bank-'));
  mkdirSync(path.join(dir, 'items'));
  cpSync(path.join(REPO, 'question-bank/framework'), path.join(dir, 'framework'), { recursive: true });
  cpSync(path.join(REPO, 'question-bank/blueprint.yaml'), path.join(dir, 'blueprint.yaml'));
  const domains = new Map<number, FixtureItem[]>();
  for (let d = 1; d <= 8; d++) domains.set(d, Array.from({ length: 10 }, (_, i) => fixtureItem(d, i + 1)));
  mutate(domains);
  for (const [d, items] of domains) {
    writeFileSync(path.join(dir, 'items', `D0${d}.yaml`), stringify({ domain: `D0${d}`, items }, { lineWidth: 0 }));
  }
  return dir;
}

/** The 1-based line on which `needle` appears (the nth time) in a bank file. */
export function lineIn(dir: string, file: string, needle: string, nth = 1): number {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  const matches = lines.map((l, i) => (l.includes(needle) ? i + 1 : 0)).filter(Boolean);
  if (matches.length < nth) throw new Error(`${needle} not in ${file} ${nth} time(s)`);
  return matches[nth - 1];
}
