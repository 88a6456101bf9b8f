import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { loadBank } from '../src/modules/question-bank/bank-files';
import { contentHash, contentOf } from '../src/modules/question-bank/item-content';
import { renderReviewsFile, REVIEWS_FILE } from '../src/modules/question-bank/reviews-file';

const REPO = path.resolve(__dirname, '../..');
/** A distinct scenario per (domain, n): every word trigram but a few holds a token of its own. */
function stem(domain: number, n: number): string {
  const t = (k: string) => `${domain}${n}${k}`;
  return `Scenario ${t('a')}: team ${t('b')} runs service ${t('c')} for clients ${t('d')} and sees drift ${t('e')}; what should it do first ${t('f')}?`;
}

// Option words share nothing with each other, with the PSF wording or with the cue word lists, so a
// fixture item carries no cue unless a test puts one in.
const SLOT_WORDS = [
  'amber basil cedar ember fjord garnet',
  'harbour indigo juniper kestrel lagoon meadow',
  'orchid pebble quartz raven saffron thistle',
  'violet willow xenon yarrow zephyr birch',
].map((w) => w.split(' '));
const LENGTHS = [58, 52, 46, 40];

function optionText(slot: number, length: number): string {
  const words: string[] = [];
  for (let i = 0; words.join(' ').length < length; i++) words.push(SLOT_WORDS[slot][i % SLOT_WORDS[slot].length]);
  const text = words.join(' ').slice(0, length).trim();
  return text[0].toUpperCase() + text.slice(1);
}

export interface FixtureItem {
  id: string;
  criterion: string;
  difficulty: 'easy' | 'medium' | 'hard';
  status: 'draft' | 'pretest' | 'active' | 'retired';
  author?: string;
  stem: string;
  options: Array<{ text: string; key?: true; rationale: string }>;
  reference?: string;
  notes: string;
}

/**
 * A clean item: the key sits at position n mod 4 and at length rank (n + domain) mod 4, so over a
 * domain keys are evenly longest, second-longest, second-shortest and shortest.
 */
export function fixtureItem(domain: number, n: number, overrides: Partial<FixtureItem> = {}): FixtureItem {
  const code = `D0${domain}`;
  const keyAt = n % 4;
  const keyRank = (n + domain) % 4;
  const ranks = [0, 1, 2, 3].map((i) =>
    i === keyAt ? keyRank : [0, 1, 2, 3].filter((r) => r !== keyRank)[[0, 1, 2, 3].filter((j) => j !== keyAt).indexOf(i)],
  );
  const criterion = `${code}.${((n - 1) % 5) + 1}`;
  return {
    id: `${code}-${String(n).padStart(3, '0')}`,
    criterion,
    difficulty: (['easy', 'medium', 'hard'] as const)[n % 3],
    status: 'active',
    stem: stem(domain, n),
    options: [0, 1, 2, 3].map((i) => ({
      text: optionText(i, LENGTHS[ranks[i]]),
      ...(i === keyAt ? { key: true as const } : {}),
      rationale: i === keyAt ? 'The best first step.' : 'A plausible mistake.',
    })),
    reference: `PSF v1.0 ${criterion} (fixture reference).`,
    notes: 'Fixture item.',
    ...overrides,
  };
}

export const FIXTURE_ITEMS_PER_DOMAIN = 32;

/** A complete, valid bank in a temporary folder: 32 active items per domain, 6–7 per criterion. */
export function writeFixtureBank(mutate: (domains: Map<number, FixtureItem[]>) => void = () => undefined): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'psf-bank-'));
  mkdirSync(path.join(dir, 'items'));
  cpSync(path.join(REPO, 'question-bank/framework'), path.join(dir, 'framework'), { recursive: true });
  cpSync(path.join(REPO, 'question-bank/blueprint.yaml'), path.join(dir, 'blueprint.yaml'));
  const domains = new Map<number, FixtureItem[]>();
  for (let d = 1; d <= 8; d++)
    domains.set(
      d,
      Array.from({ length: FIXTURE_ITEMS_PER_DOMAIN }, (_, i) => fixtureItem(d, i + 1)),
    );
  mutate(domains);
  for (const [d, items] of domains) {
    writeFileSync(path.join(dir, 'items', `D0${d}.yaml`), stringify({ domain: `D0${d}`, items }, { lineWidth: 0 }));
  }
  adoptFixtureBank(dir);
  return dir;
}

/** Records every pretest/active item of a fixture bank as adopted (its review evidence), as `bank:adopt` does. */
export function adoptFixtureBank(dir: string): void {
  const bank = loadBank(dir);
  const items = bank.items.filter((i) => i.status === 'pretest' || i.status === 'active');
  const reviews = {
    adoptions: [
      {
        decision: 'Fixture bank adopted for tests.',
        adoptedBy: 'tests',
        date: '2026-12-01',
        items: Object.fromEntries(items.map((i) => [i.id, contentHash(contentOf(i))])),
      },
    ],
    items: {},
  };
  writeFileSync(path.join(dir, REVIEWS_FILE), renderReviewsFile(reviews));
}

/** The 1-based line on which `needle` appears (the nth time) in a bank file. */
export function lineIn(dir: string, file: string, needle: string, nth = 1): number {
  const lines = readFileSync(path.join(dir, file), 'utf8').split('\n');
  const matches = lines.map((l, i) => (l.includes(needle) ? i + 1 : 0)).filter(Boolean);
  if (matches.length < nth) throw new Error(`${needle} not in ${file} ${nth} time(s)`);
  return matches[nth - 1];
}
