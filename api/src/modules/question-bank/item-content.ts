import { createHash } from 'node:crypto';
import { canonicalJson } from '../../common/canonical-json';
import type { BankItem, Difficulty } from './bank-files';

/** What a version freezes: everything that changes what a candidate sees or how it is scored. */
export interface ItemContent {
  criterion: string;
  difficulty: Difficulty;
  stem: string;
  options: Array<{ id: string; text: string; key: boolean; rationale: string }>;
  notes: string;
  reference: string;
  author: string | null;
}

export function contentOf(item: BankItem): ItemContent {
  return {
    criterion: item.criterion,
    difficulty: item.difficulty,
    stem: item.stem,
    // Option ids are positions in the file (a–d); attempts shuffle them and show opaque ids.
    options: item.options.map((o, i) => ({ id: 'abcd'[i], text: o.text, key: o.key, rationale: o.rationale })),
    notes: item.notes,
    reference: item.reference,
    author: item.author,
  };
}

export function contentHash(content: ItemContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
