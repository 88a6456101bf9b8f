import { stringify } from 'yaml';
import { parseGift } from './gift';
import { parseMoodleXml } from './moodle-xml';

export interface ImportedOption {
  text: string;
  key: boolean;
  rationale: string;
}

export interface ImportedQuestion {
  title: string;
  stem: string;
  options: ImportedOption[];
  /** What an author must still do before the question can join the bank. */
  todo: string[];
}

export interface SkippedQuestion {
  title: string;
  reason: string;
}

export interface ImportResult {
  items: ImportedQuestion[];
  skipped: SkippedQuestion[];
}

export type ImportFormat = 'moodle-xml' | 'gift';

/**
 * Keeps single-best-answer multiple-choice questions; skips what the bank cannot hold
 * (other question types, several correct answers, partial credit, images) and says why.
 */
export function importQuestions(format: ImportFormat, text: string): ImportResult {
  const parsed = format === 'moodle-xml' ? parseMoodleXml(text) : parseGift(text);
  const items: ImportedQuestion[] = [];
  const skipped: Array<SkippedQuestion & { order: number }> = [...parsed.skipped];
  for (const q of parsed.questions) {
    const keys = q.options.filter((o) => o.fraction >= 100).length;
    const partial = q.options.some((o) => o.fraction > 0 && o.fraction < 100);
    const skip = (reason: string) => skipped.push({ order: q.order, title: q.title, reason });
    if (!q.stem.trim()) skip('the question text is empty');
    else if (partial) skip('gives partial credit; the bank needs one best answer');
    else if (keys === 0) skip('has no correct answer');
    else if (keys > 1) skip(`has ${keys} correct answers; the bank needs exactly one`);
    else if (q.options.length < 2) skip('has fewer than two options');
    else {
      const todo = ['assign domain and criterion', 'set difficulty', 'rewrite as a production scenario if it tests recall'];
      if (q.options.length !== 4) todo.push(`has ${q.options.length} options; the bank needs exactly 4`);
      if (q.options.some((o) => !o.feedback)) todo.push('write a rationale for every option');
      items.push({
        title: q.title,
        stem: q.stem.trim(),
        options: q.options.map((o) => ({ text: o.text.trim(), key: o.fraction >= 100, rationale: o.feedback.trim() })),
        todo,
      });
    }
  }
  skipped.sort((a, b) => a.order - b.order);
  return { items, skipped: skipped.map(({ title, reason }) => ({ title, reason })) };
}

export function renderImportFile(result: ImportResult, sourceName: string): string {
  const header = [
    `# Imported from ${sourceName} by \`npm run bank:import\`. These are drafts outside the bank:`,
    '# give each one a domain, criterion and difficulty, complete its rationales, then move it into',
    '# items/DXX.yaml under the next free id of that domain and run `npm run bank:check`.',
  ].join('\n');
  const body = {
    domain: null,
    items: result.items.map((q, i) => ({
      id: `IMPORT-${String(i + 1).padStart(3, '0')}`,
      criterion: null,
      difficulty: null,
      status: 'draft',
      stem: q.stem,
      options: q.options.map((o) => (o.key ? { text: o.text, key: true, rationale: o.rationale } : { text: o.text, rationale: o.rationale })),
      notes: `Imported from ${sourceName} ("${q.title}"). To do: ${q.todo.join('; ')}.`,
    })),
  };
  return `${header}\n${stringify(body, { lineWidth: 100 })}`;
}
