import { describe, expect, it, vi } from 'vitest';
import { browserTimeZone, timeZoneNames } from './time-zones';

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
