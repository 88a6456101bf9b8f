/**
 * Wall-clock ↔ instant conversion for IANA time zones with the platform's own Intl data (no
 * hand-kept offset tables), so daylight-saving rules are whatever the runtime's tzdata says.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !timeZone || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number; // 1–12
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock time an instant shows in a zone. */
export function wallTimeAt(instantMs: number, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute };
}

/** Offset of the zone from UTC at an instant, in minutes (Europe/Berlin in summer: +120). */
export function offsetMinutes(instantMs: number, timeZone: string): number {
  const w = wallTimeAt(instantMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const truncated = Math.floor(instantMs / 60_000) * 60_000;
  return Math.round((asUtc - truncated) / 60_000);
}

/**
 * The instant a wall-clock time names in a zone, resolved like Temporal's "compatible"
 * disambiguation: a time repeated when clocks go back is its first occurrence; a time skipped
 * when clocks go forward moves forward by the gap (02:30 on a spring-forward night is 03:30).
 */
export function instantOf(wall: WallTime, timeZone: string): number {
  // Pure for the life of the process (its tzdata is fixed), and the same wall times recur across
  // assessors and requests, so answers are remembered (bounded).
  const key = `${timeZone}|${wall.year}-${wall.month}-${wall.day} ${wall.hour}:${wall.minute}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  if (instants.size >= 100_000) instants.clear();
  const instant = resolveInstant(wall, timeZone);
  instants.set(key, instant);
  return instant;
}

const instants = new Map<string, number>();

function resolveInstant(wall: WallTime, timeZone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  const before = offsetMinutes(asUtc - 86_400_000, timeZone);
  const after = offsetMinutes(asUtc + 86_400_000, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => asUtc - offset * 60_000)
    .filter((instant) => {
      const w = wallTimeAt(instant, timeZone);
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === asUtc;
    });
  if (candidates.length) return Math.min(...candidates);
  return asUtc - before * 60_000; // in the gap: the pre-transition offset lands after the jump
}

/** `YYYY-MM-DD` of the day an instant falls on in a zone. */
export function localDateOf(instantMs: number, timeZone: string): string {
  const w = wallTimeAt(instantMs, timeZone);
  return isoDate(w.year, w.month, w.day);
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function parseIsoDate(date: string): { year: number; month: number; day: number } {
  const [year, month, day] = date.split('-').map(Number);
  return { year, month, day };
}

/** Calendar arithmetic on plain dates (no zone involved). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseIsoDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return isoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** ISO weekday of a plain date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday that starts the ISO week of a plain date; identifies "a week" for weekly caps. */
export function weekStartOf(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** `HH:MM` (00:00–24:00) → minutes after midnight. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}
