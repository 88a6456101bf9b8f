/** The dashboard's period in the address (?from=&to=), and the addresses of the lists behind its figures. */

export interface Period {
  from: string;
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (day: string, days: number): string => isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/** The period as the address asks for it, as written: the server judges it and says plainly what is wrong. */
export function periodQueryOf(params: URLSearchParams): { from?: string; to?: string } {
  const pick = (name: string) => params.get(name)?.trim() || undefined;
  return { from: pick('from'), to: pick('to') };
}

/** The period to show in the form: the address's days where they are well formed, else the default's. */
export function formPeriodOf(query: { from?: string; to?: string }, now: Date = new Date()): Period {
  const fallback = defaultPeriod(now);
  const day = (v: string | undefined) => (v !== undefined && DAY.test(v) ? v : undefined);
  return { from: day(query.from) ?? fallback.from, to: day(query.to) ?? fallback.to };
}

/** What the server shows by default: the 30 days ending today, UTC. */
export function defaultPeriod(now: Date = new Date()): Period {
  const to = isoDay(now);
  return { from: addDays(to, -29), to };
}

/** "4 Nov 2026", read as a UTC day whatever the browser's time zone. */
export function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

const url = (path: string, query: Record<string, string>) => `${path}?${new URLSearchParams(query)}`;

/**
 * The filtered lists behind the figures. Each list reads the same parameters as its API and counts what
 * the figure counts (the same UTC days, the same exclusive expiry bound).
 */
export function listLinks(period: Period, expiringBefore: string) {
  const { from, to } = period;
  return {
    candidatesRegistered: url('/admin/people', { role: 'candidate', createdFrom: from, createdTo: to }),
    attemptsStarted: url('/admin/attempts', { from, to }),
    attemptsPassed: url('/admin/attempts', { from, to, result: 'passed' }),
    attemptsFailed: url('/admin/attempts', { from, to, result: 'failed' }),
    certificatesIssued: url('/admin/certificates', { issuedFrom: from, issuedTo: to }),
    certificatesByStatus: (status: 'active' | 'expired' | 'suspended' | 'revoked') => url('/admin/certificates', { status }),
    certificatesExpiring: url('/admin/certificates', { status: 'active', expiringBefore }),
    portfolios: '/admin/submissions',
    panels: '/admin/panels',
  };
}
