import { describe, expect, it, vi } from 'vitest';
import { browserTimeZone, filterTimeZones, timeZoneNames } from './time-zones';

/** Makes the runtime report `zone` as the browser's own time zone. */
function browserZoneIs(zone: string) {
  const real = Intl.DateTimeFormat;
  vi.spyOn(Intl, 'DateTimeFormat').mockImplementation((...args: ConstructorParameters<typeof Intl.DateTimeFormat>) => {
    const format = real(...args);
    vi.spyOn(format, 'resolvedOptions').mockReturnValue({ ...format.resolvedOptions(), timeZone: zone });
    return format;
  });
}

describe('timeZoneNames', () => {
  it("lists the runtime's zones sorted, with UTC and the browser's zone added when missing", () => {
    vi.spyOn(Intl, 'supportedValuesOf').mockReturnValue(['Europe/Paris', 'America/New_York', 'Asia/Tokyo']);
    browserZoneIs('Europe/Helsinki');

    expect(timeZoneNames()).toEqual(['America/New_York', 'Asia/Tokyo', 'Europe/Helsinki', 'Europe/Paris', 'UTC']);
  });

  it("lists each zone once when the runtime already knows UTC and the browser's zone", () => {
    vi.spyOn(Intl, 'supportedValuesOf').mockReturnValue(['UTC', 'Europe/Paris', 'Asia/Tokyo']);
    browserZoneIs('Europe/Paris');

    expect(timeZoneNames()).toEqual(['Asia/Tokyo', 'Europe/Paris', 'UTC']);
  });

  it("still offers UTC and the browser's zone on runtimes that cannot list zones", () => {
    const intl = Intl as unknown as { supportedValuesOf?: unknown };
    const saved = intl.supportedValuesOf;
    intl.supportedValuesOf = undefined;
    try {
      browserZoneIs('Australia/Sydney');
      expect(timeZoneNames()).toEqual(['Australia/Sydney', 'UTC']);
    } finally {
      intl.supportedValuesOf = saved;
    }
  });
});

describe('browserTimeZone', () => {
  it('returns the zone the runtime resolves', () => {
    browserZoneIs('America/Sao_Paulo');
    expect(browserTimeZone()).toBe('America/Sao_Paulo');
  });

  it('falls back to UTC when the runtime resolves no zone', () => {
    browserZoneIs('');
    expect(browserTimeZone()).toBe('UTC');
  });
});

const ZONES = ['America/New_York', 'America/Newfoundland' as string, 'Asia/Tokyo', 'Europe/Berlin', 'Europe/London', 'UTC'];

describe('filterTimeZones', () => {
  it('matches every typed word to the start of a word of the zone, case and separators aside', () => {
    expect(filterTimeZones(ZONES, 'new york')).toEqual(['America/New_York']);
    expect(filterTimeZones(ZONES, 'BERL')).toEqual(['Europe/Berlin']);
    expect(filterTimeZones(ZONES, 'europe/l')).toEqual(['Europe/London']);
    expect(filterTimeZones(ZONES, 'erlin')).toEqual([]);
  });

  it('puts zones whose city matches before those whose region does', () => {
    expect(filterTimeZones([...ZONES, 'Europe/Amsterdam'], 'a')).toEqual([
      'Europe/Amsterdam',
      'America/New_York',
      'America/Newfoundland',
      'Asia/Tokyo',
    ]);
  });

  it('lists every zone for an empty query', () => {
    expect(filterTimeZones(ZONES, '  ')).toEqual(ZONES);
  });
});
