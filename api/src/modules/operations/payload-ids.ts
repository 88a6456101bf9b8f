/**
 * The ids a job's payload names (its `…Id` fields holding a string): what the jobs page shows of a
 * payload. Payloads carry ids and small facts only, yet the page shows no more than it needs to point
 * an administrator at the records a failed job was about.
 */
export function payloadIds(payload: unknown): Record<string, string> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return {};
  return Object.fromEntries(
    Object.entries(payload).filter((entry): entry is [string, string] => /Id$/.test(entry[0]) && typeof entry[1] === 'string'),
  );
}
