import { type BankItem, type BankProblem, type LoadedBank } from './bank-files';
import { auditCues, type CueAuditReport } from './cue-audit';
import { checkReviewEvidence } from './reviews-file';
import { type Framework } from '../programme/framework';

export const NEAR_DUPLICATE_THRESHOLD = 0.5;
export const POOL_FACTOR = 3;
/** Enough items that every form can avoid repeating a criterion and exposure stays low. */
export const MIN_ACTIVE_PER_DOMAIN = 30;
export const MIN_ITEMS_PER_CRITERION = 6;
/** A criterion's items must span at least this many difficulty levels. */
export const MIN_DIFFICULTIES_PER_CRITERION = 2;
const BANNED_PHRASES = [/\ball of the above\b/i, /\bnone of the above\b/i, /\bboth [a-d] and [a-d]\b/i];
// The PSF is vendor-neutral: no item may hinge on one vendor's product, price or API.
const VENDOR_TERMS =
  /\b(openai|chatgpt|gpt-?\d|claude|anthropic|gemini|bard|llama|mistral|copilot|aws|amazon|azure|microsoft|google|bedrock|sagemaker|vertex ai|langchain|llamaindex|hugging ?face|datadog|splunk|pinecone|weaviate|nvidia)\b/i;

/** Word trigrams of a stem, lower-cased and stripped of punctuation. */
export function shingles(text: string): Set<string> {
  const words = text.toLowerCase().replace(/[^a-z0-9\s]/g, ' ').split(/\s+/).filter(Boolean);
  const out = new Set<string>();
  for (let i = 0; i + 2 < words.length; i++) out.add(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
  return out;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const s of a) if (b.has(s)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export interface BankCheck {
  problems: BankProblem[];
  cueAudit: CueAuditReport;
}

/** The bank-wide rules of the authoring guide (question-bank/README.md). */
export function validateBank(bank: LoadedBank, framework: Framework): BankProblem[] {
  return checkBank(bank, framework).problems;
}

/** The rules and the cue audit's figures (printed by `npm run bank:check`). */
export function checkBank(bank: LoadedBank, framework: Framework): BankCheck {
  const problems: BankProblem[] = [...bank.problems];
  const at = (item: BankItem, message: string) => problems.push({ ...item.source, message: `item ${item.id}: ${message}` });
  const domains = new Map(framework.domains.map((d) => [d.code, d]));

  const seen = new Map<string, BankItem>();
  for (const item of bank.items) {
    const first = seen.get(item.id);
    if (first) at(item, `duplicate id (first defined in ${first.source.file}:${first.source.line})`);
    else seen.set(item.id, item);

    const domain = domains.get(item.domain);
    if (!domain) at(item, `unknown domain "${item.domain}"`);
    else if (!domain.criteria.some((c) => c.code === item.criterion)) at(item, `unknown criterion "${item.criterion}" for domain ${item.domain}`);
    if (!item.id.startsWith(`${item.domain}-`)) at(item, `id must start with its domain (${item.domain}-)`);

    const keys = item.options.filter((o) => o.key).length;
    if (keys !== 1) at(item, `needs exactly one key (found ${keys})`);
    const texts = item.options.map((o) => o.text.toLowerCase());
    if (new Set(texts).size !== texts.length) at(item, 'two options have the same text');
    for (const text of [item.stem, ...item.options.map((o) => o.text)]) {
      const banned = BANNED_PHRASES.find((p) => p.test(text));
      if (banned) at(item, `uses a banned option form (${banned.source.replace(/\\b/g, '')})`);
      const vendor = VENDOR_TERMS.exec(text);
      if (vendor) at(item, `names a vendor or product ("${vendor[0]}"); items must be vendor-neutral`);
    }
  }

  // Near-duplicate stems across the whole bank (retired items included: re-adding one under a new id is a duplicate too).
  const sets = bank.items.map((item) => ({ item, set: shingles(item.stem) }));
  for (let i = 0; i < sets.length; i++) {
    for (let j = i + 1; j < sets.length; j++) {
      const similarity = jaccard(sets[i].set, sets[j].set);
      if (similarity >= NEAR_DUPLICATE_THRESHOLD) {
        at(sets[j].item, `stem is a near-duplicate of ${sets[i].item.id} (${Math.round(similarity * 100)}% shared word trigrams)`);
      }
    }
  }

  const blueprint = bank.blueprint;
  if (blueprint) {
    const bp = blueprint.source;
    let sum = 0;
    for (const [code, count] of Object.entries(blueprint.domains)) {
      if (!domains.has(code)) problems.push({ ...bp, message: `blueprint names unknown domain ${code}` });
      if (!Number.isInteger(count) || count < 2) problems.push({ ...bp, message: `blueprint gives ${code} ${count} questions; every domain needs at least 2` });
      sum += count;
    }
    for (const code of domains.keys()) {
      if (!(code in blueprint.domains)) problems.push({ ...bp, message: `blueprint has no count for ${code}` });
    }
    if (sum !== blueprint.questionCount) {
      problems.push({ ...bp, message: `blueprint domain counts add up to ${sum}, not questionCount ${blueprint.questionCount}` });
    }
  }

  for (const domain of framework.domains) {
    const active = bank.items.filter((i) => i.domain === domain.code && i.status === 'active');
    const file = active[0]?.source.file ?? bank.items.find((i) => i.domain === domain.code)?.source.file ?? 'items/';
    const count = blueprint?.domains[domain.code];
    const required = Math.max(MIN_ACTIVE_PER_DOMAIN, count ? POOL_FACTOR * count : 0);
    if (active.length < required) {
      problems.push({
        file,
        line: 1,
        message: `${domain.code} has ${active.length} active items; it needs at least ${required} (${MIN_ACTIVE_PER_DOMAIN} per domain, ${POOL_FACTOR} × the blueprint's ${count ?? '?'} questions)`,
      });
    }
    for (const criterion of domain.criteria) {
      const covering = active.filter((i) => i.criterion === criterion.code);
      const n = covering.length;
      if (n === 0) problems.push({ file, line: 1, message: `criterion ${criterion.code} has no active item` });
      else if (n < MIN_ITEMS_PER_CRITERION) {
        problems.push({ file, line: 1, message: `criterion ${criterion.code} has ${n} active item${n === 1 ? '' : 's'}; cover it at least ${MIN_ITEMS_PER_CRITERION} times` });
      }
      const levels = new Set(covering.map((i) => i.difficulty)).size;
      if (n > 0 && levels < MIN_DIFFICULTIES_PER_CRITERION) {
        problems.push({ file, line: 1, message: `criterion ${criterion.code}: its active items span ${levels} difficulty level; use at least ${MIN_DIFFICULTIES_PER_CRITERION}` });
      }
    }
    if (active.length) {
      const difficulties = new Set(active.map((i) => i.difficulty));
      for (const d of ['easy', 'medium', 'hard']) {
        if (!difficulties.has(d as BankItem['difficulty'])) problems.push({ file, line: 1, message: `${domain.code} has no active ${d} item` });
      }
    }
  }
  const cueAudit = auditCues(bank.items, framework, blueprint);
  problems.push(...cueAudit.problems);
  problems.push(...checkReviewEvidence(bank.items, bank.reviews));
  return { problems: problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line), cueAudit };
}
