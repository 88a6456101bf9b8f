import { randomInt, randomUUID } from 'node:crypto';

export interface PoolItem {
  itemId: string;
  versionId: string;
  domain: string;
}

export interface DrawnQuestion extends PoolItem {
  position: number;
  /** Opaque per-attempt option ids, in the order shown, mapped to the version's option ids. */
  options: Array<{ id: string; source: string }>;
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

/**
 * Turns the items chosen per domain into a form: question order mixed across domains,
 * options shuffled per question, every id shown to the candidate fresh and opaque.
 */
export function assembleForm(
  chosen: PoolItem[],
  optionIdsOf: (versionId: string) => string[],
  rng: (n: number) => number = randomInt,
): DrawnQuestion[] {
  return shuffle(chosen, rng).map((item, index) => ({
    ...item,
    position: index + 1,
    options: shuffle(optionIdsOf(item.versionId), rng).map((source) => ({ id: randomUUID(), source })),
  }));
}

export interface DomainCount {
  domain: string;
  count: number;
}

/** Checks a drawn form against the blueprint: right count per domain, no item twice. */
export function formMatchesBlueprint(form: Pick<PoolItem, 'itemId' | 'domain'>[], blueprint: DomainCount[]): boolean {
  if (new Set(form.map((q) => q.itemId)).size !== form.length) return false;
  return blueprint.every(({ domain, count }) => form.filter((q) => q.domain === domain).length === count);
}
