import type { Problem } from '../../../components/error-summary';
import type { RubricLevel } from '../../../components/rubric';
import type { PanelScoreDraft } from '../api/panels';

/** The CPAA interview guide as GET /api/panels/guide gives it (question-bank/interview-guide.yaml). */
export interface InterviewGuide {
  scale: RubricLevel[];
  opening: string[];
  closing: string[];
  domains: GuideDomain[];
}

export interface GuideDomain {
  domain: string;
  minutes: number;
  prompts: Array<{ id: string; criteria: string[]; prompt: string; followUps: string[] }>;
  lookFor: string[];
  redFlags: string[];
}

/** The server's limit on an assessor's notes for one domain. */
export const NOTES_MAX = 4000;

/** What one assessor has entered so far: per domain a score (null until chosen) and notes. */
export type PanelSheet = Record<string, { score: number | null; notes: string }>;

export function sheetFromDraft(d: PanelScoreDraft | null): PanelSheet {
  return Object.fromEntries((d?.domains ?? []).map((x) => [x.domain, { score: x.score, notes: x.notes }]));
}

export function sheetToDraft(s: PanelSheet, domains: readonly string[]): PanelScoreDraft {
  return { domains: domains.map((domain) => ({ domain, score: s[domain]?.score ?? null, notes: s[domain]?.notes ?? '' })) };
}

export const scoredCount = (s: PanelSheet, domains: readonly string[]) => domains.filter((d) => typeof s[d]?.score === 'number').length;

/** The PSF criteria the domain's prompts look for evidence of, in code order. */
export const criteriaAssessed = (d: GuideDomain) => [...new Set(d.prompts.flatMap((p) => p.criteria))].sort();

/**
 * Every gap in plain words, at the control it concerns, in page order. The panel rules ask for a score on every
 * domain; notes are kept with the score but not required (the server accepts a sheet without them).
 */
export function sheetProblems(s: PanelSheet, domains: readonly string[], titles: ReadonlyMap<string, string> = new Map()): Problem[] {
  const problems: Problem[] = [];
  for (const d of domains) {
    const name = titles.get(d) ? `${d} ${titles.get(d)}` : d;
    if (typeof s[d]?.score !== 'number') problems.push({ controlId: `score-${d}-0`, message: `Choose a score for ${name}` });
    if ((s[d]?.notes.length ?? 0) > NOTES_MAX)
      problems.push({ controlId: `note-${d}`, message: `Shorten the notes on ${d} to ${NOTES_MAX} characters or fewer` });
  }
  return problems;
}
