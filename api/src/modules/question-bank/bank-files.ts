import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { EMPTY_REVIEWS, readReviewsFile, REVIEWS_FILE, type ReviewsFile } from './reviews-file';

/** Where something is in the bank files, for messages an author can act on. */
export interface SourceRef {
  file: string;
  line: number;
}

export interface BankProblem extends SourceRef {
  message: string;
}

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export const ITEM_STATUSES = ['draft', 'pretest', 'active', 'retired'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];
export type ItemStatus = (typeof ITEM_STATUSES)[number];

export interface ItemOption {
  text: string;
  key: boolean;
  rationale: string;
}

export interface BankItem {
  id: string;
  domain: string;
  criterion: string;
  difficulty: Difficulty;
  status: ItemStatus;
  stem: string;
  options: ItemOption[];
  notes: string;
  /** The criterion text the key rests on, and any public source beyond the PSF. */
  reference: string;
  /** Who wrote the item (an e-mail or name): the item's reviewers must be other people. */
  author: string | null;
  source: SourceRef;
}

export interface Blueprint {
  exam: string;
  questionCount: number;
  timeLimitMinutes: number;
  passMarkPercent: number;
  /** The expected proportion correct every form should have, and how far a form may stray from it. */
  targetFacility: number;
  facilityBand: number;
  domains: Record<string, number>;
  source: SourceRef;
}

export interface LoadedBank {
  items: BankItem[];
  blueprint: Blueprint | null;
  /** reviews.yaml: the review evidence for pretest and active items (null when the file is missing). */
  reviews: ReviewsFile | null;
  /** Problems found while reading: unparsable YAML, wrong shapes, missing fields. */
  problems: BankProblem[];
}

export const ITEMS_DIR = 'items';
export const BLUEPRINT_FILE = 'blueprint.yaml';
const ITEM_KEYS = ['id', 'criterion', 'difficulty', 'status', 'stem', 'options', 'notes', 'reference', 'author'];
const OPTION_KEYS = ['text', 'key', 'rationale'];

function lineOf(counter: LineCounter, node: { range?: [number, number, number] | null } | null | undefined): number {
  return node?.range ? counter.linePos(node.range[0]).line : 1;
}

/** Reads blueprint.yaml and every items/*.yaml; shapes are checked here, bank-wide rules in the validator. */
export function loadBank(bankDir: string): LoadedBank {
  const problems: BankProblem[] = [];
  const items: BankItem[] = [];
  const itemsDir = path.join(bankDir, ITEMS_DIR);
  const files = readdirSync(itemsDir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  for (const name of files) {
    const file = path.join(ITEMS_DIR, name);
    items.push(...readItemFile(path.join(bankDir, file), file, problems));
  }
  let reviews: ReviewsFile | null;
  try {
    reviews = readReviewsFile(bankDir);
  } catch (error) {
    problems.push({ file: REVIEWS_FILE, line: 1, message: `YAML: ${(error as Error).message.split('\n')[0]}` });
    reviews = EMPTY_REVIEWS;
  }
  return { items, blueprint: readBlueprint(bankDir, problems), reviews, problems };
}

function readItemFile(absolute: string, file: string, problems: BankProblem[]): BankItem[] {
  const counter = new LineCounter();
  const doc = parseDocument(readFileSync(absolute, 'utf8'), { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push({ file, line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` });
    return [];
  }
  const root = doc.contents;
  const problem = (line: number, message: string) => problems.push({ file, line, message });
  if (!isMap(root)) {
    problem(1, 'a bank file is a mapping with `domain` and `items`');
    return [];
  }
  const domain = root.get('domain');
  const itemsNode = root.get('items', true);
  if (typeof domain !== 'string') problem(1, '`domain` is missing (e.g. domain: D01)');
  if (!isSeq(itemsNode)) {
    problem(lineOf(counter, root), '`items` must be a list');
    return [];
  }
  const out: BankItem[] = [];
  for (const node of itemsNode.items) {
    const line = lineOf(counter, node as YAMLMap);
    if (!isMap(node)) {
      problem(line, 'each item must be a mapping');
      continue;
    }
    const raw = node.toJSON() as Record<string, unknown>;
    const where = typeof raw.id === 'string' ? `item ${raw.id}` : 'item';
    let ok = true;
    const need = (cond: boolean, message: string, at = line) => {
      if (!cond) {
        problem(at, `${where}: ${message}`);
        ok = false;
      }
    };
    for (const key of Object.keys(raw)) need(ITEM_KEYS.includes(key), `unknown field \`${key}\``, lineOf(counter, node.get(key, true) as never));
    need(typeof raw.id === 'string' && /^D0[1-8]-\d{3}$/.test(raw.id), '`id` must look like D01-001');
    need(typeof raw.criterion === 'string', '`criterion` is required (e.g. D01.3)');
    need(DIFFICULTIES.includes(raw.difficulty as Difficulty), `\`difficulty\` must be one of ${DIFFICULTIES.join(', ')}`);
    need(ITEM_STATUSES.includes(raw.status as ItemStatus), `\`status\` must be one of ${ITEM_STATUSES.join(', ')}`);
    need(typeof raw.stem === 'string' && raw.stem.trim().length >= 20, '`stem` must be a scenario of at least 20 characters');
    need(typeof raw.notes === 'string', '`notes` is required (author notes)');
    need(
      raw.status === 'retired' || (typeof raw.reference === 'string' && raw.reference.trim().length >= 20),
      '`reference` is required: the criterion text the key rests on, and any public source',
    );
    need(raw.author === undefined || (typeof raw.author === 'string' && raw.author.trim() !== ''), '`author` must be a name or e-mail when given');
    const optionsNode = node.get('options', true);
    const options: ItemOption[] = [];
    if (!isSeq(optionsNode) || optionsNode.items.length !== 4) {
      need(false, `needs exactly 4 options (found ${isSeq(optionsNode) ? optionsNode.items.length : 0})`, lineOf(counter, optionsNode as never) || line);
    } else {
      for (const optionNode of optionsNode.items) {
        const at = lineOf(counter, optionNode as never);
        const o = (isMap(optionNode) ? optionNode.toJSON() : {}) as Record<string, unknown>;
        for (const key of Object.keys(o)) need(OPTION_KEYS.includes(key), `option has unknown field \`${key}\``, at);
        need(typeof o.text === 'string' && o.text.trim() !== '', 'every option needs `text`', at);
        need(typeof o.rationale === 'string' && o.rationale.trim() !== '', 'every option needs a `rationale`', at);
        need(o.key === undefined || typeof o.key === 'boolean', '`key` must be true or absent', at);
        options.push({ text: String(o.text ?? '').trim(), key: o.key === true, rationale: String(o.rationale ?? '').trim() });
      }
    }
    if (!ok) continue;
    out.push({
      id: raw.id as string,
      domain: typeof domain === 'string' ? domain : '',
      criterion: raw.criterion as string,
      difficulty: raw.difficulty as Difficulty,
      status: raw.status as ItemStatus,
      stem: (raw.stem as string).trim(),
      options,
      notes: (raw.notes as string).trim(),
      reference: typeof raw.reference === 'string' ? raw.reference.trim() : '',
      author: typeof raw.author === 'string' ? raw.author.trim() : null,
      source: { file, line },
    });
  }
  return out;
}

/** The blueprint alone, for the exam (throws with the problems when it is invalid). */
export function loadBlueprint(bankDir: string): Blueprint {
  const problems: BankProblem[] = [];
  const blueprint = readBlueprint(bankDir, problems);
  if (!blueprint) throw new Error(`blueprint.yaml is invalid: ${problems.map((p) => p.message).join('; ')}`);
  return blueprint;
}

function readBlueprint(bankDir: string, problems: BankProblem[]): Blueprint | null {
  const file = BLUEPRINT_FILE;
  let text: string;
  try {
    text = readFileSync(path.join(bankDir, file), 'utf8');
  } catch {
    problems.push({ file, line: 1, message: 'blueprint.yaml is missing' });
    return null;
  }
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    for (const e of doc.errors) problems.push({ file, line: counter.linePos(e.pos[0]).line, message: `YAML: ${e.message.split('\n')[0]}` });
    return null;
  }
  const raw = doc.toJSON() as Record<string, unknown>;
  const before = problems.length;
  const need = (cond: boolean, message: string) => cond || problems.push({ file, line: 1, message });
  need(raw.exam === 'AIDA', '`exam` must be AIDA');
  need(Number.isInteger(raw.questionCount) && (raw.questionCount as number) > 0, '`questionCount` must be a positive integer');
  need(Number.isInteger(raw.timeLimitMinutes) && (raw.timeLimitMinutes as number) > 0, '`timeLimitMinutes` must be a positive integer');
  need(
    typeof raw.passMarkPercent === 'number' && (raw.passMarkPercent as number) > 0 && (raw.passMarkPercent as number) <= 100,
    '`passMarkPercent` must be between 1 and 100',
  );
  need(typeof raw.domains === 'object' && raw.domains !== null, '`domains` must map domain codes to question counts');
  need(
    typeof raw.targetFacility === 'number' && (raw.targetFacility as number) > 0.2 && (raw.targetFacility as number) < 0.95,
    '`targetFacility` must be a proportion between 0.2 and 0.95 (the expected share correct on a form)',
  );
  need(
    typeof raw.facilityBand === 'number' && (raw.facilityBand as number) > 0 && (raw.facilityBand as number) <= 0.2,
    '`facilityBand` must be a proportion above 0 and at most 0.2',
  );
  if (problems.length > before) return null;
  return {
    exam: 'AIDA',
    questionCount: raw.questionCount as number,
    timeLimitMinutes: raw.timeLimitMinutes as number,
    passMarkPercent: raw.passMarkPercent as number,
    targetFacility: raw.targetFacility as number,
    facilityBand: raw.facilityBand as number,
    domains: raw.domains as Record<string, number>,
    source: { file, line: 1 },
  };
}
