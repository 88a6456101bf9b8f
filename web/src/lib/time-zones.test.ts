import { describe, expect, it } from 'vitest';
import { filterTimeZones, timeZoneNames } from './time-zones';

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

describe('timeZoneNames', () => {
  it('always includes UTC and is sorted', () => {
    const zones = timeZoneNames();
    expect(zones).toContain('UTC');
    expect([...zones].sort()).toEqual(zones);
  });
});
