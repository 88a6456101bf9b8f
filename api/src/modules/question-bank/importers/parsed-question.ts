import type { SkippedQuestion } from './import-questions';

export interface ParsedOption {
  text: string;
  /** Moodle's fraction (percent of the mark): 100 for the key, 0 or negative for distractors. */
  fraction: number;
  feedback: string;
}

export interface ParsedQuestion {
  /** Position in the source file, so the report follows the file's order. */
  order: number;
  title: string;
  stem: string;
  options: ParsedOption[];
}

export interface ParseResult {
  questions: ParsedQuestion[];
  skipped: Array<SkippedQuestion & { order: number }>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The bank holds plain text: HTML from the source tool is reduced to its text. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|h[1-6])>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
