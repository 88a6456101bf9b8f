import { cryptoRandom, drawKeys, type RandomSource } from '../../common/random-draw';
import { addDays, instantOf, isoWeekday, localDateOf, minutesOf, parseIsoDate, wallTimeAt, weekStartOf } from './time-zones';

/** A recurring window in the assessor's own zone: weekday 1 = Monday … 7 = Sunday, `HH:MM`, end may be `24:00`. */
export interface WeeklyWindow {
  weekday: number;
  start: string;
  end: string;
}

/** Replaces the weekly windows on one date: extra or different hours, or none (a day off). */
export interface DateOverride {
  date: string;
  windows: Array<{ start: string; end: string }>;
}

export interface AssessorCalendar {
  id: string;
  timeZone: string;
  isChair: boolean;
  weeklyCap: number;
  weekly: WeeklyWindow[];
  overrides: DateOverride[];
  /** The assessor's active panels, as instants (ms). */
  bookings: Array<{ start: number; end: number }>;
}

export interface SlotRules {
  durationMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  horizonDays: number;
  /** Slots start on multiples of this many minutes (UTC-aligned, so on :00/:30 in whole-hour zones). */
  stepMinutes: number;
}

export const PANEL_SIZE = 3;

type Interval = [number, number];
const MINUTE = 60_000;

/**
 * When an assessor can sit, as merged instants between `fromMs` and `toMs`. Each local date's
 * windows are turned into instants in the assessor's zone one by one, so a window keeps its wall
 * times across a daylight-saving change (09:00–17:00 stays 09:00–17:00 local on both sides).
 */
export function availabilityOf(a: AssessorCalendar, fromMs: number, toMs: number): Interval[] {
  const overrides = new Map(a.overrides.map((o) => [o.date, o.windows]));
  const intervals: Interval[] = [];
  const last = addDays(localDateOf(toMs, a.timeZone), 1);
  for (let date = addDays(localDateOf(fromMs, a.timeZone), -1); date <= last; date = addDays(date, 1)) {
    const windows = overrides.get(date) ?? a.weekly.filter((w) => w.weekday === isoWeekday(date));
    for (const w of windows) {
      const start = wallInstant(date, w.start, a.timeZone);
      const end = wallInstant(date, w.end, a.timeZone);
      if (end > start && end > fromMs && start < toMs) intervals.push([start, end]);
    }
  }
  return merge(intervals);
}

function wallInstant(date: string, hhmm: string, timeZone: string): number {
  const minutes = minutesOf(hhmm);
  const day = minutes >= 1440 ? addDays(date, 1) : date;
  const { year, month, day: d } = parseIsoDate(day);
  return instantOf({ year, month, day: d, hour: Math.floor((minutes % 1440) / 60), minute: minutes % 60 }, timeZone);
}

function merge(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [s, e] of sorted) {
    const prev = out[out.length - 1];
    if (prev && s <= prev[1]) prev[1] = Math.max(prev[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Every booking keeps `bufferMinutes` clear before and after it. */
export function clearOfBookings(a: AssessorCalendar, startMs: number, endMs: number, bufferMinutes: number): boolean {
  const buffer = bufferMinutes * MINUTE;
  return a.bookings.every((b) => endMs + buffer <= b.start || b.end + buffer <= startMs);
}

/**
 * An assessor with everything the per-slot checks need worked out once: availability as
 * instants, the instants their local weeks start (Monday 00:00 in their zone) and their panels
 * per week. Zone conversions are the expensive part, so none happens per candidate slot.
 */
export interface PreparedAssessor extends AssessorCalendar {
  availability: Interval[];
  weekStarts: number[];
  panelsPerWeek: Map<number, number>;
}

export function prepare(assessors: AssessorCalendar[], fromMs: number, toMs: number): PreparedAssessor[] {
  return assessors.map((a) => {
    const weekStarts: number[] = [];
    const last = addDays(localDateOf(toMs, a.timeZone), 7);
    for (let monday = weekStartOf(addDays(localDateOf(fromMs, a.timeZone), -7)); monday <= last; monday = addDays(monday, 7)) {
      weekStarts.push(wallInstant(monday, '00:00', a.timeZone));
    }
    const prepared: PreparedAssessor = { ...a, availability: availabilityOf(a, fromMs, toMs), weekStarts, panelsPerWeek: new Map() };
    for (const b of a.bookings) {
      const week = weekOf(prepared, b.start);
      if (week !== null) prepared.panelsPerWeek.set(week, (prepared.panelsPerWeek.get(week) ?? 0) + 1);
    }
    return prepared;
  });
}

/** The start instant of the assessor's local week containing `ms`, or null outside the prepared range. */
function weekOf(a: PreparedAssessor, ms: number): number | null {
  const w = a.weekStarts;
  if (!w.length || ms < w[0] || ms >= w[w.length - 1]) return null;
  let lo = 0;
  let hi = w.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (w[mid] <= ms) lo = mid;
    else hi = mid;
  }
  return w[lo];
}

/** Panels the assessor already sits on in the week (of their own zone) that contains `startMs`. */
export function panelsInWeek(a: PreparedAssessor, startMs: number): number {
  const week = weekOf(a, startMs);
  return week === null ? 0 : (a.panelsPerWeek.get(week) ?? 0);
}

/** Is the assessor free for the whole interview: inside their availability, clear of buffers, under their weekly cap. */
export function isFree(a: PreparedAssessor, startMs: number, rules: SlotRules): boolean {
  const endMs = startMs + rules.durationMinutes * MINUTE;
  return (
    a.availability.some(([s, e]) => s <= startMs && endMs <= e) &&
    clearOfBookings(a, startMs, endMs, rules.bufferMinutes) &&
    panelsInWeek(a, startMs) < a.weeklyCap
  );
}

export interface ChosenPanel {
  chairId: string;
  memberIds: string[];
  /** how many free assessors the panel was drawn from (audited, so a narrowed pool shows) */
  eligibleCount: number;
}

/** Can these free assessors seat a panel: three of them, at least one a chair. */
export function canSeat(free: PreparedAssessor[]): boolean {
  return free.length >= PANEL_SIZE && free.some((a) => a.isChair);
}

/**
 * Picks three free assessors, at least one a chair. Preferred assessors (the current panel when a
 * booking moves) come first; otherwise the least loaded that week, so work spreads across the pool.
 * Assessors equal on both are drawn at random (and so is the chair among equally ranked chairs):
 * the candidate chooses a time, never the people (architecture invariant 11).
 */
export function choosePanel(
  free: PreparedAssessor[],
  startMs: number,
  prefer: string[] = [],
  random: RandomSource = cryptoRandom,
): ChosenPanel | null {
  if (!canSeat(free)) return null;
  const rank = (a: PreparedAssessor) => (prefer.includes(a.id) ? 0 : 1);
  const load = new Map(free.map((a) => [a.id, panelsInWeek(a, startMs)]));
  const key = drawKeys(
    free.map((a) => a.id),
    random,
  );
  const ordered = [...free].sort((x, y) => rank(x) - rank(y) || load.get(x.id)! - load.get(y.id)! || key.get(x.id)! - key.get(y.id)!);
  const chair = ordered.find((a) => a.isChair)!;
  const others = ordered.filter((a) => a.id !== chair.id).slice(0, PANEL_SIZE - 1);
  return { chairId: chair.id, memberIds: [chair.id, ...others.map((a) => a.id)], eligibleCount: free.length };
}

/** A start time at which some eligible panel (three free assessors with a chair) can sit. */
export interface Slot {
  start: number;
  end: number;
}

/** The window a candidate may book in: at least the minimum notice ahead, at most the horizon. */
export function bookingWindow(nowMs: number, rules: SlotRules): { earliest: number; latest: number } {
  const step = rules.stepMinutes * MINUTE;
  const earliest = Math.ceil((nowMs + rules.minNoticeHours * 3_600_000) / step) * step;
  return { earliest, latest: nowMs + rules.horizonDays * 86_400_000 };
}

export function computeSlots(assessors: AssessorCalendar[], nowMs: number, rules: SlotRules): Slot[] {
  const { earliest, latest } = bookingWindow(nowMs, rules);
  const duration = rules.durationMinutes * MINUTE;
  const prepared = prepare(assessors, earliest, latest + duration);
  const slots: Slot[] = [];
  for (let start = earliest; start <= latest; start += rules.stepMinutes * MINUTE) {
    if (canSeat(prepared.filter((a) => isFree(a, start, rules)))) slots.push({ start, end: start + duration });
  }
  return slots;
}

/** Is this exact start bookable now (same rules as the slot list, used inside the booking transaction)? */
export function panelFor(
  assessors: AssessorCalendar[],
  startMs: number,
  nowMs: number,
  rules: SlotRules,
  prefer: string[] = [],
  random: RandomSource = cryptoRandom,
): ChosenPanel | null {
  const { earliest, latest } = bookingWindow(nowMs, rules);
  if (startMs < earliest || startMs > latest || startMs % (rules.stepMinutes * MINUTE) !== 0) return null;
  const prepared = prepare(assessors, startMs, startMs + rules.durationMinutes * MINUTE);
  return choosePanel(
    prepared.filter((a) => isFree(a, startMs, rules)),
    startMs,
    prefer,
    random,
  );
}

/** Slots grouped by the candidate's local date, with local clock times, for display in their zone. */
export function groupByLocalDate(slots: Slot[], timeZone: string): Array<{ date: string; slots: Array<Slot & { localTime: string }> }> {
  const days = new Map<string, Array<Slot & { localTime: string }>>();
  for (const slot of slots) {
    const date = localDateOf(slot.start, timeZone);
    const w = wallTimeAt(slot.start, timeZone);
    const localTime = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
    days.set(date, [...(days.get(date) ?? []), { ...slot, localTime }]);
  }
  return [...days].map(([date, s]) => ({ date, slots: s }));
}
