/** The audit viewer's filters, as the address holds them (so a filtered view can be linked to, e.g. from a person's page). */
export interface AuditSearch {
  actor?: string;
  person?: string;
  subjectType?: string;
  subjectId?: string;
  action?: string;
  from?: string;
  to?: string;
  kind?: AuditKind;
  page?: number;
}

export type AuditKind = 'all' | 'decisions' | 'reads';
export const AUDIT_KINDS: readonly AuditKind[] = ['all', 'decisions', 'reads'];

const TEXT_FILTERS = ['actor', 'person', 'subjectType', 'subjectId', 'action'] as const;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The search in the address; values of the wrong form are dropped (the server checks the rest and explains a refusal). */
export function auditSearchOf(params: URLSearchParams): AuditSearch {
  const search: AuditSearch = {};
  for (const key of TEXT_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) search[key] = value;
  }
  for (const key of ['from', 'to'] as const) {
    const value = params.get(key) ?? '';
    if (DATE.test(value)) search[key] = value;
  }
  const kind = params.get('kind') ?? '';
  if ((AUDIT_KINDS as readonly string[]).includes(kind) && kind !== 'all') search.kind = kind as AuditKind;
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page > 1) search.page = page;
  return search;
}

/** The address parameters of a search: only what is set; page 1 and kind "all" (the defaults) left out. */
export function auditParamsOf(search: AuditSearch): Record<string, string> {
  return Object.fromEntries(
    Object.entries(search)
      .filter(([k, v]) => v !== undefined && v !== '' && !(k === 'page' && v === 1) && !(k === 'kind' && v === 'all'))
      .map(([k, v]) => [k, String(v)]),
  );
}

/** The filters without the page: what the CSV export and the result count are about. */
export function filtersOf({ page: _page, ...filters }: AuditSearch): Omit<AuditSearch, 'page'> {
  return filters;
}

/** Groups of actions ("certificate." for every certificate action) from the actions the log holds. */
export function actionPrefixes(actions: readonly string[]): string[] {
  const prefixes = new Set<string>();
  for (const action of actions) {
    const dot = action.indexOf('.');
    if (dot > 0) prefixes.add(action.slice(0, dot + 1));
  }
  return [...prefixes].sort();
}

/** A file name that says what the export holds: `audit-log_action-certificate_2026-01-01_2026-01-31.csv`. */
export function exportFileName(search: AuditSearch): string {
  const parts = ['audit-log'];
  if (search.action) parts.push(`action-${search.action.replace(/\.$/, '')}`);
  if (search.from || search.to) parts.push(`${search.from ?? 'start'}_${search.to ?? 'now'}`);
  return `${parts.join('_').replace(/[^A-Za-z0-9._-]/g, '-')}.csv`;
}
