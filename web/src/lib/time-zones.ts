/** Every IANA zone this browser knows, with UTC and the browser's own zone always present. */
export function timeZoneNames(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return [...new Set(['UTC', browserTimeZone(), ...supported])].sort();
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Words of a zone name or a query: "America/New_York" and "new york" both give ["america", "new", "york"]. */
const words = (s: string) =>
  s
    .toLowerCase()
    .split(/[\s/_\-,]+/)
    .filter(Boolean);

/**
 * The zones a typed query matches: every word of the query starts a word of the zone ("new y" finds
 * America/New_York, "berlin" Europe/Berlin). Zones whose city starts with the query come first.
 */
export function filterTimeZones(zones: string[], query: string): string[] {
  const q = words(query);
  if (!q.length) return zones;
  const matches = zones.filter((zone) => {
    const w = words(zone);
    return q.every((part) => w.some((x) => x.startsWith(part)));
  });
  const city = (zone: string) => words(zone.slice(zone.lastIndexOf('/') + 1));
  const citySort = (zone: string) => (q.every((part) => city(zone).some((x) => x.startsWith(part))) ? 0 : 1);
  return [...matches].sort((a, b) => citySort(a) - citySort(b) || a.localeCompare(b));
}
