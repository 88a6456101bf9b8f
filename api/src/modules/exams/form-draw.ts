import { randomInt, randomUUID } from 'node:crypto';

export type Difficulty = 'easy' | 'medium' | 'hard';

/** An item the draw may use: where it sits in the blueprint and how exposed and hard it is. */
export interface PoolItem {
  itemId: string;
  versionId: string;
  domain: string;
  criterion: string;
  difficulty: Difficulty;
  /** The candidate was shown this item in an earlier attempt: used only when the pool runs short. */
  seen: boolean;
}

export interface DrawnQuestion extends Pick<PoolItem, 'itemId' | 'versionId' | 'domain'> {
  position: number;
  /** False for a pretest item: shown like any other, never part of the result. */
  scored: boolean;
  /** Opaque per-attempt option ids, in the order shown, mapped to the version's option ids. */
  options: Array<{ id: string; source: string }>;
}

/**
 * The proportion of minimally prepared candidates expected to answer an item of each nominal
 * difficulty correctly: the labels' meaning in the authoring guide (question-bank/README.md).
 */
export const NOMINAL_FACILITY: Record<Difficulty, number> = { easy: 0.8, medium: 0.65, hard: 0.5 };

export interface FormRules {
  /** The expected proportion correct a form should have (its mean item facility). */
  targetFacility: number;
  /** How far a form's expected facility may stray from the target. */
  facilityBand: number;
}

export interface DomainCount {
  domain: string;
  count: number;
}

/** Fisher–Yates with a cryptographic RNG: option and question order are not predictable. */
export function shuffle<T>(items: readonly T[], rng: (n: number) => number = randomInt): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const expectedFacility = (items: Array<Pick<PoolItem, 'difficulty'>>): number =>
  items.length ? items.reduce((sum, i) => sum + NOMINAL_FACILITY[i.difficulty], 0) / items.length : 0;

export interface ScoredSelection {
  items: PoolItem[];
  /** Criteria used more than once within their domain (0 whenever the pool allows). */
  criterionRepeats: number;
  facility: number;
}

/**
 * Chooses the scored items of a form. `candidates` holds each domain's pool in order of preference
 * (least exposed first, with a little randomness among near-equals, unseen before seen): the greedy
 * pass takes them in that order without repeating a criterion in its domain where the pool allows;
 * then swaps within a domain bring the form's expected facility into the band around the target,
 * never adding a criterion repeat or a seen item, and each time choosing the least-exposed swap
 * that fixes the most.
 */
export function chooseScoredItems(candidates: Map<string, PoolItem[]>, counts: DomainCount[], rules: FormRules): ScoredSelection {
  const chosen = new Map<string, PoolItem[]>();
  for (const { domain, count } of counts) {
    const pool = candidates.get(domain) ?? [];
    const picked: PoolItem[] = [];
    const used = new Set<string>();
    for (const item of pool) {
      if (picked.length === count) break;
      if (used.has(item.criterion)) continue;
      picked.push(item);
      used.add(item.criterion);
    }
    // More questions than criteria available: repeat a criterion rather than leave the form short.
    for (const item of pool) {
      if (picked.length === count) break;
      if (!picked.includes(item)) picked.push(item);
    }
    chosen.set(domain, picked);
  }

  const all = () => [...chosen.values()].flat();
  const total = all().length;
  let sum = all().reduce((s, i) => s + NOMINAL_FACILITY[i.difficulty], 0);
  const distance = (s: number) => Math.max(0, Math.abs(s / total - rules.targetFacility) - rules.facilityBand);
  for (let round = 0; round < 2 * total && total && distance(sum) > 0; round++) {
    let best: { domain: string; out: PoolItem; in: PoolItem; sum: number; rank: number } | null = null;
    for (const { domain } of counts) {
      const picked = chosen.get(domain) ?? [];
      const pool = candidates.get(domain) ?? [];
      pool.forEach((incoming, rank) => {
        if (picked.includes(incoming)) return;
        for (const outgoing of picked) {
          if (incoming.seen && !outgoing.seen) continue;
          const others = picked.filter((p) => p !== outgoing);
          if (others.some((p) => p.criterion === incoming.criterion) && !others.some((p) => p.criterion === outgoing.criterion)) continue;
          const next = sum - NOMINAL_FACILITY[outgoing.difficulty] + NOMINAL_FACILITY[incoming.difficulty];
          if (distance(next) >= distance(sum)) continue;
          if (!best || distance(next) < distance(best.sum) || (distance(next) === distance(best.sum) && rank < best.rank)) {
            best = { domain, out: outgoing, in: incoming, sum: next, rank };
          }
        }
      });
    }
    if (!best) break;
    const { domain, out, in: incoming, sum: next } = best;
    chosen.set(
      domain,
      chosen.get(domain)!.map((p) => (p === out ? incoming : p)),
    );
    sum = next;
  }

  const items = all();
  const criterionRepeats = [...chosen.values()].reduce((n, picked) => n + picked.length - new Set(picked.map((p) => p.criterion)).size, 0);
  return { items, criterionRepeats, facility: expectedFacility(items) };
}

/** Pretest items for a form: the least exposed, unseen first, preferring criteria the form does not already test. */
export function choosePretestItems(pool: PoolItem[], count: number, formCriteria: Set<string>): PoolItem[] {
  const ordered = [...pool.filter((p) => !p.seen), ...pool.filter((p) => p.seen)];
  const fresh = ordered.filter((p) => !formCriteria.has(p.criterion));
  const picked: PoolItem[] = [];
  for (const item of [...fresh, ...ordered]) {
    if (picked.length === count) break;
    if (!picked.includes(item)) picked.push(item);
  }
  return picked;
}

/**
 * Turns the chosen items into a form: scored and pretest questions mixed in one random order (a
 * candidate cannot tell them apart), options shuffled per question, every id shown fresh and opaque.
 */
export function assembleForm(
  scored: Array<Pick<PoolItem, 'itemId' | 'versionId' | 'domain'>>,
  pretest: Array<Pick<PoolItem, 'itemId' | 'versionId' | 'domain'>>,
  optionIdsOf: (versionId: string) => string[],
  rng: (n: number) => number = randomInt,
): DrawnQuestion[] {
  const all = [...scored.map((item) => ({ item, scored: true })), ...pretest.map((item) => ({ item, scored: false }))];
  return shuffle(all, rng).map(({ item, scored: isScored }, index) => ({
    itemId: item.itemId,
    versionId: item.versionId,
    domain: item.domain,
    position: index + 1,
    scored: isScored,
    options: shuffle(optionIdsOf(item.versionId), rng).map((source) => ({ id: randomUUID(), source })),
  }));
}

/** Checks a form's scored questions against the blueprint: right count per domain, no item twice. */
export function formMatchesBlueprint(form: Array<{ itemId: string; domain: string; scored?: boolean }>, blueprint: DomainCount[]): boolean {
  if (new Set(form.map((q) => q.itemId)).size !== form.length) return false;
  const scored = form.filter((q) => q.scored !== false);
  return blueprint.every(({ domain, count }) => scored.filter((q) => q.domain === domain).length === count);
}
