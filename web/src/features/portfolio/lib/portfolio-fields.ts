import { CONTEXT_LABELS } from '../../../lib/portfolio-context';
import type { Portfolio } from '../api/portfolio';

export const CONTEXT_FIELDS = [
  { key: 'system', label: CONTEXT_LABELS.system, max: 2000 },
  { key: 'organisation', label: CONTEXT_LABELS.organisation, max: 300 },
  { key: 'modelsUsed', label: CONTEXT_LABELS.modelsUsed, max: 2000 },
  { key: 'usersAffected', label: CONTEXT_LABELS.usersAffected, max: 2000 },
] as const;
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const NARRATIVE_MAX = 20_000;

/** The id of a field's control, for labels, links from the error summary and focus. */
export const contextControlId = (key: string) => `ctx-${key}`;
export const evidenceControlId = (criterion: string) => `ev-${criterion}`;

export const wordCount = (text: string): number => (text.trim() ? text.trim().split(/\s+/).length : 0);

/** What a submission still needs: each with the control it concerns and what to do, in page order. */
export function missingForSubmission(
  values: Record<string, string>,
  portfolio: Pick<Portfolio, 'evidence'>,
): Array<{ controlId: string; message: string }> {
  const missing: Array<{ controlId: string; message: string }> = [];
  for (const f of CONTEXT_FIELDS) {
    if (!(values[`context.${f.key}`] ?? '').trim())
      missing.push({ controlId: contextControlId(f.key), message: `Describe ${f.label.toLowerCase()}` });
  }
  if (!values['context.riskLevel']) missing.push({ controlId: contextControlId('riskLevel'), message: 'Choose the risk level' });
  for (const e of portfolio.evidence) {
    if (!(values[`evidence.${e.criterion}`] ?? '').trim()) {
      missing.push({ controlId: evidenceControlId(e.criterion), message: `Write how you meet ${e.criterion}` });
    }
  }
  return missing;
}

/** Criteria written per domain, in framework order: "12 of 35", and per domain "3 of 5". */
export function completeness(values: Record<string, string>, portfolio: Pick<Portfolio, 'evidence'>) {
  const domains = new Map<string, { written: number; total: number }>();
  for (const e of portfolio.evidence) {
    const code = e.criterion.slice(0, 3);
    const d = domains.get(code) ?? { written: 0, total: 0 };
    d.total += 1;
    if ((values[`evidence.${e.criterion}`] ?? '').trim()) d.written += 1;
    domains.set(code, d);
  }
  const all = [...domains.values()];
  return {
    written: all.reduce((n, d) => n + d.written, 0),
    total: all.reduce((n, d) => n + d.total, 0),
    domains: [...domains.entries()].map(([code, d]) => ({ code, ...d })),
  };
}

/** Advice drawn from the criterion's own words: what a reviewer will look for. */
export function guidanceFor(text: string): string {
  const subject = text.charAt(0).toLowerCase() + text.slice(1);
  return `Show how your deployment meets this: ${subject}. Say what you put in place, who owns it and how you know it works, and attach what a reviewer can check (documents, logs, dashboards, tickets).`;
}

export const sizeText = (bytes: number): string =>
  bytes >= 1_048_576 ? `${Math.round((bytes / 1_048_576) * 10) / 10} MB` : `${Math.max(1, Math.ceil(bytes / 1024))} KB`;
