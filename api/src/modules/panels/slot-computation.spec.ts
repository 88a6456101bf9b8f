import {
  type AssessorCalendar,
  availabilityOf,
  choosePanel,
  computeSlots,
  groupByLocalDate,
  isFree,
  panelFor,
  prepare,
  type SlotRules,
  type WeeklyWindow,
} from './slot-computation';
import { instantOf, offsetMinutes } from './time-zones';

const RULES: SlotRules = { durationMinutes: 90, bufferMinutes: 15, minNoticeHours: 48, horizonDays: 28, stepMinutes: 30 };
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();
const everyDay = (start: string, end: string): WeeklyWindow[] => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));

function assessor(id: string, timeZone: string, weekly: WeeklyWindow[], extra: Partial<AssessorCalendar> = {}): AssessorCalendar {
  return { id, timeZone, isChair: false, weeklyCap: 10, weekly, overrides: [], bookings: [], ...extra };
}

/** Slot starts (ISO, UTC) on one UTC date. */
function startsOn(slots: Array<{ start: number }>, utcDate: string): string[] {
  return slots.map((s) => iso(s.start)).filter((s) => s.startsWith(utcDate));
}

describe('time zones', () => {
  it('resolves a wall time skipped by spring-forward to the time after the jump (Europe/Berlin, 2027-03-28)', () => {
    expect(iso(instantOf({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'Europe/Berlin'))).toBe('2027-03-28T01:30:00.000Z');
    expect(offsetMinutes(at('2027-03-28T01:30:00Z'), 'Europe/Berlin')).toBe(120);
  });

  it('resolves a wall time repeated by fall-back to its first occurrence (America/New_York, 2027-11-07)', () => {
    expect(iso(instantOf({ year: 2027, month: 11, day: 7, hour: 1, minute: 30 }, 'America/New_York'))).toBe('2027-11-07T05:30:00.000Z');
  });
});

describe('slot computation', () => {
  // Monday 4 January 2027, no daylight-saving anywhere near.
  const NOW = at('2027-01-04T00:00:00Z');

  it('offers only times when three assessors are free together (collective availability)', () => {
    const panel = [
      assessor('a', 'Europe/London', everyDay('09:00', '17:00'), { isChair: true }), // 09–17 UTC in winter
      assessor('b', 'America/New_York', everyDay('09:00', '17:00')), // 14–22 UTC
      assessor('c', 'Asia/Tokyo', everyDay('00:00', '24:00')),
    ];
    const slots = computeSlots(panel, NOW, RULES);
    expect(startsOn(slots, '2027-01-06')).toEqual([
      '2027-01-06T14:00:00.000Z',
      '2027-01-06T14:30:00.000Z',
      '2027-01-06T15:00:00.000Z',
      '2027-01-06T15:30:00.000Z',
    ]);
    expect(slots.every((s) => s.end - s.start === 90 * 60_000)).toBe(true);
  });

  it('needs at least one chair and three assessors', () => {
    const noChair = ['a', 'b', 'c'].map((id) => assessor(id, 'UTC', everyDay('00:00', '24:00')));
    expect(computeSlots(noChair, NOW, RULES)).toEqual([]);
    const two = [assessor('a', 'UTC', everyDay('00:00', '24:00'), { isChair: true }), assessor('b', 'UTC', everyDay('00:00', '24:00'))];
    expect(computeSlots(two, NOW, RULES)).toEqual([]);
    const chosen = choosePanel(prepare([...noChair, assessor('d', 'UTC', everyDay('00:00', '24:00'), { isChair: true })], NOW, NOW), NOW);
    expect(chosen?.chairId).toBe('d');
    expect(chosen?.memberIds).toHaveLength(3);
  });

  it("keeps 15 minutes clear before and after each of an assessor's bookings", () => {
    const busy = assessor('b', 'UTC', everyDay('00:00', '24:00'), {
      bookings: [{ start: at('2027-01-06T10:00:00Z'), end: at('2027-01-06T11:30:00Z') }],
    });
    const [prepared] = prepare([busy], at('2027-01-06T00:00:00Z'), at('2027-01-07T00:00:00Z'));
    const rules = { ...RULES, stepMinutes: 15 };
    expect(isFree(prepared, at('2027-01-06T08:15:00Z'), rules)).toBe(true); // ends 09:45, 15 min before 10:00
    expect(isFree(prepared, at('2027-01-06T08:30:00Z'), rules)).toBe(false); // ends 10:00: no buffer
    expect(isFree(prepared, at('2027-01-06T11:30:00Z'), rules)).toBe(false);
    expect(isFree(prepared, at('2027-01-06T11:45:00Z'), rules)).toBe(true);
  });

  it('stops offering an assessor once their weekly cap is reached, in the week of their own zone', () => {
    // Tokyo is UTC+9: a panel at Sunday 10 January 20:00 UTC is Monday 11 January in Tokyo, the next ISO week there.
    const capped = assessor('t', 'Asia/Tokyo', everyDay('00:00', '24:00'), {
      isChair: true,
      weeklyCap: 1,
      bookings: [{ start: at('2027-01-10T20:00:00Z'), end: at('2027-01-10T21:30:00Z') }],
    });
    const others = ['x', 'y'].map((id) => assessor(id, 'UTC', everyDay('00:00', '24:00')));
    const slots = computeSlots([capped, ...others], NOW, RULES);
    // Week of 4–10 January in Tokyo ends at 2027-01-10T15:00Z: still free then, capped from there until the 17th (Tokyo).
    expect(startsOn(slots, '2027-01-10')).toContain('2027-01-10T13:00:00.000Z');
    expect(startsOn(slots, '2027-01-10').filter((s) => s >= '2027-01-10T15:00')).toEqual([]);
    expect(startsOn(slots, '2027-01-12')).toEqual([]);
    expect(startsOn(slots, '2027-01-17')[0]).toBe('2027-01-17T15:00:00.000Z'); // Monday 18th 00:00 in Tokyo
  });

  it('applies date overrides: a day off removes the day, extra hours add to it', () => {
    const chair = assessor('a', 'UTC', everyDay('09:00', '12:00'), {
      isChair: true,
      overrides: [
        { date: '2027-01-07', windows: [] },
        { date: '2027-01-08', windows: [{ start: '18:00', end: '20:00' }] },
      ],
    });
    const panel = [chair, assessor('b', 'UTC', everyDay('00:00', '24:00')), assessor('c', 'UTC', everyDay('00:00', '24:00'))];
    const slots = computeSlots(panel, NOW, RULES);
    expect(startsOn(slots, '2027-01-06')).toEqual([
      '2027-01-06T09:00:00.000Z',
      '2027-01-06T09:30:00.000Z',
      '2027-01-06T10:00:00.000Z',
      '2027-01-06T10:30:00.000Z',
    ]);
    expect(startsOn(slots, '2027-01-07')).toEqual([]);
    expect(startsOn(slots, '2027-01-08')).toEqual(['2027-01-08T18:00:00.000Z', '2027-01-08T18:30:00.000Z']);
  });

  it('offers nothing sooner than 48 hours ahead and nothing beyond 4 weeks', () => {
    const now = at('2027-01-04T10:07:00Z');
    const panel = ['a', 'b', 'c'].map((id, i) => assessor(id, 'UTC', everyDay('00:00', '24:00'), { isChair: i === 0 }));
    const slots = computeSlots(panel, now, RULES);
    expect(iso(slots[0].start)).toBe('2027-01-06T10:30:00.000Z');
    expect(iso(slots[slots.length - 1].start)).toBe('2027-02-01T10:00:00.000Z');
    expect(panelFor(panel, at('2027-01-06T10:00:00Z'), now, RULES)).toBeNull(); // 47h53m ahead
    expect(panelFor(panel, at('2027-01-06T10:45:00Z'), now, RULES)).toBeNull(); // not a slot start
    expect(panelFor(panel, at('2027-01-06T10:30:00Z'), now, RULES)?.chairId).toBe('a');
  });

  it('keeps local working hours across the spring-forward change in Europe/Berlin (28 March 2027)', () => {
    const panel = ['a', 'b', 'c'].map((id, i) => assessor(id, 'Europe/Berlin', everyDay('09:00', '17:00'), { isChair: i === 0 }));
    const slots = computeSlots(panel, at('2027-03-20T00:00:00Z'), RULES);
    const day = (d: string) => startsOn(slots, d);
    expect([day('2027-03-26')[0], day('2027-03-26').at(-1)]).toEqual(['2027-03-26T08:00:00.000Z', '2027-03-26T14:30:00.000Z']); // CET, UTC+1
    expect([day('2027-03-28')[0], day('2027-03-28').at(-1)]).toEqual(['2027-03-28T07:00:00.000Z', '2027-03-28T13:30:00.000Z']); // CEST, UTC+2
    expect([day('2027-03-29')[0], day('2027-03-29').at(-1)]).toEqual(['2027-03-29T07:00:00.000Z', '2027-03-29T13:30:00.000Z']);
  });

  it('counts the real length of a window that spans the skipped hour (01:00–04:00 Berlin on 28 March 2027 is two hours)', () => {
    const weekly = [{ weekday: 7, start: '01:00', end: '04:00' }];
    const panel = ['a', 'b', 'c'].map((id, i) => assessor(id, 'Europe/Berlin', weekly, { isChair: i === 0 }));
    const [prepared] = prepare(panel, at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'));
    expect(prepared.availability.map(([s, e]) => [iso(s), iso(e)])).toEqual([['2027-03-28T00:00:00.000Z', '2027-03-28T02:00:00.000Z']]);
    expect(startsOn(computeSlots(panel, at('2027-03-20T00:00:00Z'), RULES), '2027-03-28')).toEqual([
      '2027-03-28T00:00:00.000Z',
      '2027-03-28T00:30:00.000Z',
    ]);
  });

  it('keeps local working hours across the fall-back change in America/New_York (7 November 2027), including the repeated hour', () => {
    const panel = ['a', 'b', 'c'].map((id, i) => assessor(id, 'America/New_York', everyDay('09:00', '17:00'), { isChair: i === 0 }));
    const slots = computeSlots(panel, at('2027-11-01T00:00:00Z'), RULES);
    expect(startsOn(slots, '2027-11-05')[0]).toBe('2027-11-05T13:00:00.000Z'); // EDT, UTC−4
    expect(startsOn(slots, '2027-11-08')[0]).toBe('2027-11-08T14:00:00.000Z'); // EST, UTC−5
    expect(startsOn(slots, '2027-11-08').at(-1)).toBe('2027-11-08T20:30:00.000Z');
    const night = availabilityOf(
      assessor('n', 'America/New_York', [{ weekday: 7, start: '00:00', end: '03:00' }]),
      at('2027-11-07T00:00:00Z'),
      at('2027-11-08T00:00:00Z'),
    );
    expect(night.map(([s, e]) => [iso(s), iso(e)])).toEqual([['2027-11-07T04:00:00.000Z', '2027-11-07T08:00:00.000Z']]); // four real hours
  });

  it('follows each zone through the weeks when America and Europe change clocks on different dates (March 2027)', () => {
    const panel = [
      assessor('ber', 'Europe/Berlin', everyDay('14:00', '18:00'), { isChair: true }),
      assessor('nyc', 'America/New_York', everyDay('09:00', '13:00')),
      assessor('utc', 'UTC', everyDay('00:00', '24:00')),
    ];
    const slots = computeSlots(panel, at('2027-03-08T00:00:00Z'), RULES);
    // Before 14 March: Berlin 13–17 UTC, New York 14–18 UTC → 14:00–17:00 common.
    expect(startsOn(slots, '2027-03-12')).toEqual([
      '2027-03-12T14:00:00.000Z',
      '2027-03-12T14:30:00.000Z',
      '2027-03-12T15:00:00.000Z',
      '2027-03-12T15:30:00.000Z',
    ]);
    // 14–27 March: New York on EDT (13–17 UTC), Berlin still CET (13–17 UTC) → 13:00–17:00 common.
    expect(startsOn(slots, '2027-03-20')[0]).toBe('2027-03-20T13:00:00.000Z');
    expect(startsOn(slots, '2027-03-20').at(-1)).toBe('2027-03-20T15:30:00.000Z');
    // From 28 March: Berlin on CEST (12–16 UTC), New York 13–17 UTC → 13:00–16:00 common.
    expect(startsOn(slots, '2027-03-30')).toEqual([
      '2027-03-30T13:00:00.000Z',
      '2027-03-30T13:30:00.000Z',
      '2027-03-30T14:00:00.000Z',
      '2027-03-30T14:30:00.000Z',
    ]);
  });

  it("groups slots by the candidate's own date and clock, across their DST change", () => {
    const grouped = groupByLocalDate(
      [
        { start: at('2027-01-06T23:30:00Z'), end: at('2027-01-07T01:00:00Z') },
        { start: at('2027-03-27T23:30:00Z'), end: at('2027-03-28T01:00:00Z') },
        { start: at('2027-03-28T23:30:00Z'), end: at('2027-03-29T01:00:00Z') },
      ],
      'Asia/Tokyo',
    );
    expect(grouped.map((d) => [d.date, d.slots.map((s) => s.localTime)])).toEqual([
      ['2027-01-07', ['08:30']],
      ['2027-03-28', ['08:30']],
      ['2027-03-29', ['08:30']],
    ]);
    expect(
      groupByLocalDate(
        [
          { start: at('2027-03-27T23:30:00Z'), end: 0 },
          { start: at('2027-03-28T23:30:00Z'), end: 0 },
        ],
        'Europe/Berlin',
      ).map((d) => d.slots[0].localTime),
    ).toEqual(['00:30', '01:30']);
  });

  it('prefers the current panel when a booking moves, then the least loaded assessors', () => {
    const base = ['a', 'b', 'c', 'd'].map((id, i) => assessor(id, 'UTC', everyDay('00:00', '24:00'), { isChair: i < 2 }));
    base[0].bookings = [{ start: at('2027-01-05T09:00:00Z'), end: at('2027-01-05T10:30:00Z') }];
    const start = at('2027-01-07T09:00:00Z');
    const free = prepare(base, start, start + 90 * 60_000).filter((a) => isFree(a, start, RULES));
    const chosen = choosePanel(free, start)!;
    expect({ ...chosen, memberIds: [...chosen.memberIds].sort() }).toEqual({ chairId: 'b', memberIds: ['b', 'c', 'd'], eligibleCount: 4 });
    const kept = choosePanel(free, start, ['a', 'c', 'd'])!;
    expect({ ...kept, memberIds: [...kept.memberIds].sort() }).toEqual({ chairId: 'a', memberIds: ['a', 'c', 'd'], eligibleCount: 4 });
  });

  it('draws the panel and its chair at random among equally loaded assessors (nobody steers who sits)', () => {
    const pool = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => assessor(id, 'UTC', everyDay('00:00', '24:00'), { isChair: i < 3 }));
    const start = at('2027-01-07T09:00:00Z');
    const free = prepare(pool, start, start + 90 * 60_000).filter((a) => isFree(a, start, RULES));
    const chairs = new Set<string>();
    const members = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const panel = choosePanel(free, start)!;
      expect(panel.memberIds).toHaveLength(3);
      expect(['a', 'b', 'c']).toContain(panel.chairId);
      chairs.add(panel.chairId);
      panel.memberIds.forEach((id) => members.add(id));
    }
    expect(chairs.size).toBeGreaterThan(1);
    expect(members.size).toBeGreaterThan(3);
    // an injected random source replays the draw
    const fixed = () => 0.5;
    expect(choosePanel(free, start, [], fixed)).toEqual(choosePanel(free, start, [], fixed));
    // the least loaded still come first: a busier assessor is only drawn when the others cannot fill the panel
    const busy = pool.map((a) =>
      a.id === 'a' ? a : { ...a, bookings: [{ start: at('2027-01-05T09:00:00Z'), end: at('2027-01-05T10:30:00Z') }] },
    );
    const busyFree = prepare(busy, start, start + 90 * 60_000).filter((a) => isFree(a, start, RULES));
    for (let i = 0; i < 20; i++) expect(choosePanel(busyFree, start)!.chairId).toBe('a');
  });
});
