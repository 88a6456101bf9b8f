import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../test-support/memory-storage';
import { ServerClock } from '../lib/server-clock';

import type * as AttemptModule from './attempt';

type AttemptApi = typeof AttemptModule;

const T0 = Date.parse('2030-05-01T09:00:00.000Z');
/** The server's clock runs this far ahead of the browser's. */
const SERVER_AHEAD = 4_000;
const DEADLINE = new Date(T0 + SERVER_AHEAD + 90 * 60_000).toISOString();

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

describe('attempt readings', () => {
  let attemptApi: AttemptApi;
  /** Network delay of the next request on its way to the server and back (browser milliseconds). */
  let delay = { up: 60, down: 60 };

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    delay = { up: 60, down: 60 };
    vi.stubGlobal('window', browserWindowShim());
    vi.stubGlobal('fetch', async (request: Request) => {
      advance(delay.up);
      const serverTime = new Date(Date.now() + SERVER_AHEAD).toISOString();
      advance(delay.down);
      const status = request.method === 'POST' ? 'submitted' : 'in_progress';
      const body = { id: 'att-1', status, serverTime, deadline: DEADLINE, questions: [], answers: [] };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    });
    vi.resetModules();
    attemptApi = await import('./attempt');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("pairs the serverTime of each fetch with that request's own departure and arrival", async () => {
    const first = await attemptApi.getAttempt('att-1');
    expect(first.clockSample).toEqual({
      serverTime: new Date(T0 + 60 + SERVER_AHEAD).toISOString(),
      sentAt: T0,
      receivedAt: T0 + 120,
    });

    advance(40 * 60_000);
    delay = { up: 200, down: 200 };
    const refetched = await attemptApi.getAttempt('att-1');
    const sentAt = T0 + 120 + 40 * 60_000;
    expect(refetched.clockSample).toEqual({
      serverTime: new Date(sentAt + 200 + SERVER_AHEAD).toISOString(),
      sentAt,
      receivedAt: sentAt + 400,
    });
  });

  it('keeps the countdown true when the attempt is refetched long after the page opened', async () => {
    const clock = new ServerClock();
    clock.add((await attemptApi.getAttempt('att-1')).clockSample);
    const trueRemaining = () => Date.parse(DEADLINE) - (Date.now() + SERVER_AHEAD);
    expect(clock.remainingMs(DEADLINE)).toBe(trueRemaining());

    // The tab comes back after 40 minutes and the reconnect refetch is the only fast reading.
    advance(40 * 60_000);
    delay = { up: 25, down: 25 };
    clock.add((await attemptApi.getAttempt('att-1')).clockSample);
    advance(1_000);

    expect(clock.remainingMs(DEADLINE)).toBe(trueRemaining());
    expect(clock.remainingMs(DEADLINE)).toBe(50 * 60_000 - 120 - 50 - 1_000);
  });

  it("pairs the submit answer with the submit request's own times", async () => {
    advance(5_000);
    delay = { up: 100, down: 300 };
    const result = await attemptApi.submitAttempt('att-1');

    expect(result.status).toBe('submitted');
    expect(result.clockSample).toEqual({
      serverTime: new Date(T0 + 5_000 + 100 + SERVER_AHEAD).toISOString(),
      sentAt: T0 + 5_000,
      receivedAt: T0 + 5_400,
    });
  });
});
