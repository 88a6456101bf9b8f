/**
 * The dashboard's period: whole UTC days, both ends included, so a period is the half-open interval
 * [from 00:00Z, to + 1 day 00:00Z). Every figure and every list the dashboard links to reads dates this way.
 */
export interface Period {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** Last day (included), YYYY-MM-DD. */
  to: string;
  /** Number of days, both ends included. */
  days: number;
  /** from 00:00Z. */
  start: Date;
  /** The day after `to`, 00:00Z: the exclusive upper bound. */
  end: Date;
}

export const DEFAULT_PERIOD_DAYS = 30;
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;
// Dates outside these years are refused: they are typos, and `to` + 90 days must stay a four-digit year.
const FIRST_YEAR = 1970;
const LAST_YEAR = 9998;

/** A request's period that cannot be read; its message is fit to show as it is. */
export class PeriodError extends Error {}

export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
export const addDays = (d: Date, days: number): Date => new Date(d.getTime() + days * DAY_MS);

/** A calendar date YYYY-MM-DD as its UTC midnight; PeriodError names the parameter when it is not one. */
export function parseDay(value: string, name: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new PeriodError(`${name} must be a date written YYYY-MM-DD, e.g. 2026-01-31`);
  const [year, month, day] = match.slice(1).map(Number);
  if (year < FIRST_YEAR || year > LAST_YEAR) throw new PeriodError(`${name} must be between ${FIRST_YEAR} and ${LAST_YEAR}`);
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2026-02-30 over to March: only a date that reads back the same is a real one.
  if (isoDay(date) !== value) throw new PeriodError(`${name} must be a date written YYYY-MM-DD, e.g. 2026-01-31`);
  return date;
}

/**
 * The period a request asks for. Neither given: the last 30 days ending today (UTC). Only `to`: the 30
 * days ending then. Only `from`: from then to today. Refused: a date that is not one, `from` after `to`,
 * and more than 366 days.
 */
export function parsePeriod(query: { from?: string; to?: string }, now: Date = new Date()): Period {
  const today = parseDay(isoDay(now), 'today');
  const to = query.to !== undefined ? parseDay(query.to, 'to') : today;
  const from =
    query.from !== undefined
      ? parseDay(query.from, 'from')
      : query.to !== undefined
        ? addDays(to, 1 - DEFAULT_PERIOD_DAYS)
        : addDays(today, 1 - DEFAULT_PERIOD_DAYS);
  if (from > to) throw new PeriodError(`from (${isoDay(from)}) is after to (${isoDay(to)})`);
  const days = Math.round((to.getTime() - from.getTime()) / DAY_MS) + 1;
  if (days > MAX_PERIOD_DAYS) throw new PeriodError(`the period is ${days} days long; it can be at most ${MAX_PERIOD_DAYS} days`);
  return { from: isoDay(from), to: isoDay(to), days, start: from, end: addDays(to, 1) };
}

/** Every day of the period, in order (the per-day series has a row for each, zero or not). */
export function daysOf(period: Period): string[] {
  return Array.from({ length: period.days }, (_, i) => isoDay(addDays(period.start, i)));
}
