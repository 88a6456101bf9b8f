import { describe, expect, it } from 'vitest';
import { type ClockSample, formatDuration, formatRemaining, ServerClock } from './server-clock';

const T0 = Date.parse('2030-05-01T09:00:00.000Z');

/** A browser clock the test moves by hand. */
function fakeBrowserClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    set: (ms: number) => {
      now = ms;
    },
  };
}

/**
 * A reading taken by a request that left at `sentAt` (browser time) and came back `rtt` later, from a
 * server whose clock is `serverAhead` ahead of the browser's and which read its clock `serverDelay`
 * after the request left (half the round trip when the network is symmetric).
 */
function reading(sentAt: number, rtt: number, serverAhead: number, serverDelay = rtt / 2): ClockSample {
  return { serverTime: new Date(sentAt + serverDelay + serverAhead).toISOString(), sentAt, receivedAt: sentAt + rtt };
}

describe('ServerClock', () => {
  it('uses the browser clock unchanged until a reading arrives', () => {
    const browser = fakeBrowserClock();
    const clock = new ServerClock(browser.now);

    expect(clock.offset).toBe(0);
    expect(clock.serverNow()).toBe(T0);
  });

  it('places the server reading at the midpoint of its own round trip', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    // The server stamped 10:00:00.000 while the request took 400 ms: the stamp is taken at sentAt + 200.
    clock.add({ serverTime: '2030-05-01T10:00:00.000Z', sentAt: T0, receivedAt: T0 + 400 });

    expect(clock.offset).toBe(Date.parse('2030-05-01T10:00:00.000Z') - (T0 + 200));
  });

  it('estimates the offset exactly from a symmetric round trip whatever its length', () => {
    for (const rtt of [0, 30, 900, 1_800]) {
      const clock = new ServerClock(fakeBrowserClock().now);
      clock.add(reading(T0, rtt, 7_250));
      expect(clock.offset).toBe(7_250);
    }
  });

  it('prefers a fast reading over a slower one that came first', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    // The slow reading's server stamp was taken early in its 1.2 s round trip, so its midpoint is 500 ms off.
    clock.add(reading(T0, 1_200, 5_000, 100));
    expect(clock.offset).toBe(4_500);

    clock.add(reading(T0 + 10_000, 40, 5_000));
    expect(clock.offset).toBe(5_000);
  });

  it('does not let a slow reading override a fast one', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    clock.add(reading(T0, 40, 5_000));
    clock.add(reading(T0 + 10_000, 1_500, 5_000, 1_400));
    clock.add(reading(T0 + 20_000, 900, 5_000, 50));

    expect(clock.offset).toBe(5_000);
  });

  it('keeps the fastest sample of the last eight', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    clock.add(reading(T0, 10, 5_000));
    // Seven slower readings whose skewed midpoints disagree with the fast one by up to 1.15 s.
    for (let i = 1; i <= 7; i += 1) clock.add(reading(T0 + i * 60_000, 1_000 + i * 100, 5_000, 400 - i * 100));
    expect(clock.offset).toBe(5_000);

    // An eighth slower reading pushes the fast one out: the fastest remaining one (rtt 1 100) now rules.
    clock.add(reading(T0 + 8 * 60_000, 2_000, 5_000, 1_000));
    expect(clock.offset).toBe(5_000 + (300 - 1_100 / 2));
  });

  it('ignores the same reading added again on every render', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    const fast = reading(T0, 10, 5_000);
    const slow = reading(T0 + 60_000, 1_000, 5_000, 0);
    clock.add(fast);
    // Re-rendering with the slow reading many times must not count as eight readings that push the fast one out.
    for (let i = 0; i < 20; i += 1) clock.add({ ...slow });

    expect(clock.offset).toBe(5_000);
  });

  it('keeps a refetch from pushing the countdown ahead by the time the page has been open', () => {
    const browser = fakeBrowserClock();
    const clock = new ServerClock(browser.now);
    const serverAhead = 3_000;
    const deadline = new Date(T0 + serverAhead + 90 * 60_000).toISOString();

    const firstLoad = reading(browser.now(), 120, serverAhead);
    browser.advance(120);
    clock.add(firstLoad);
    expect(clock.remainingMs(deadline)).toBe(90 * 60_000 - 120);

    // Forty minutes later the tab is shown again and the attempt is refetched over a slightly slower network.
    browser.advance(40 * 60_000);
    const refetch = reading(browser.now(), 300, serverAhead);
    browser.advance(300);
    clock.add(refetch);

    expect(clock.offset).toBe(serverAhead);
    expect(clock.remainingMs(deadline)).toBe(50 * 60_000 - 420);
  });

  it('takes a refetch mis-paired with the first arrival for a clock jump, so the pairing itself must be right', () => {
    // The clock cannot detect the old pairing bug; attempt.test.ts checks that each refetch carries its own times.
    const clock = new ServerClock(fakeBrowserClock().now);
    const firstLoad = reading(T0, 120, 3_000);
    clock.add(firstLoad);
    const refetch = reading(T0 + 40 * 60_000, 120, 3_000);
    clock.add({ ...refetch, sentAt: firstLoad.sentAt, receivedAt: firstLoad.receivedAt });

    expect(clock.offset).toBe(3_000 + 40 * 60_000);
  });

  it('starts afresh when a reading disagrees by more than two seconds', () => {
    const browser = fakeBrowserClock();
    const clock = new ServerClock(browser.now);
    clock.add(reading(T0, 10, 5_000));
    // The laptop slept and its clock was corrected by a minute: a slower reading must still win.
    clock.add(reading(T0 + 120_000, 800, 5_000 - 60_000));

    expect(clock.offset).toBe(5_000 - 60_000);
  });

  it('does not start afresh for a disagreement within two seconds', () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    clock.add(reading(T0, 10, 5_000));
    clock.add(reading(T0 + 60_000, 800, 6_900));

    expect(clock.offset).toBe(5_000);
  });

  it("tolerates a disagreement as large as a slow reading's own round trip", () => {
    const clock = new ServerClock(fakeBrowserClock().now);
    clock.add(reading(T0, 10, 5_000));
    // A 6 s round trip cannot place its stamp better than ±3 s, so 4 s off is no evidence of a jump.
    clock.add(reading(T0 + 60_000, 6_000, 5_000, 7_000));
    expect(clock.offset).toBe(5_000);

    // 7 s off is more than either bound: start afresh.
    clock.add(reading(T0 + 120_000, 6_000, 5_000, 10_000));
    expect(clock.offset).toBe(12_000);
  });

  it("counts the remaining time down on the server's clock and never below zero", () => {
    const browser = fakeBrowserClock();
    const clock = new ServerClock(browser.now);
    clock.add(reading(T0, 0, -2_500));
    const deadline = new Date(T0 - 2_500 + 60_000).toISOString();

    expect(clock.remainingMs(deadline)).toBe(60_000);
    browser.advance(59_999);
    expect(clock.remainingMs(deadline)).toBe(1);
    browser.advance(1);
    expect(clock.remainingMs(deadline)).toBe(0);
    browser.advance(30_000);
    expect(clock.remainingMs(deadline)).toBe(0);
  });

  it('reads the browser clock through Date.now by default', () => {
    const clock = new ServerClock();
    clock.add(reading(Date.now(), 0, 1_000));
    const before = Date.now();
    const now = clock.serverNow();

    expect(now).toBeGreaterThanOrEqual(before + 1_000);
    expect(now).toBeLessThanOrEqual(Date.now() + 1_000);
  });
});

describe('formatRemaining', () => {
  it('shows minutes and seconds under an hour', () => {
    expect(formatRemaining(9 * 60_000 + 5_000)).toBe('9:05');
    expect(formatRemaining(59 * 60_000 + 59_000)).toBe('59:59');
  });

  it('shows hours with two-digit minutes from an hour on', () => {
    expect(formatRemaining(60 * 60_000)).toBe('1:00:00');
    expect(formatRemaining(2 * 3_600_000 + 5 * 60_000 + 7_000)).toBe('2:05:07');
  });

  it('rounds up so the display reaches zero only when no time is left', () => {
    expect(formatRemaining(1)).toBe('0:01');
    expect(formatRemaining(59_001)).toBe('1:00');
    expect(formatRemaining(0)).toBe('0:00');
  });
});

describe('formatDuration', () => {
  it('names whole minutes under an hour, singular for one', () => {
    expect(formatDuration(60)).toBe('1 minute');
    expect(formatDuration(45 * 60)).toBe('45 minutes');
    expect(formatDuration(89)).toBe('1 minute');
  });

  it('names hours and the minutes left over', () => {
    expect(formatDuration(3_600)).toBe('1 hour');
    expect(formatDuration(90 * 60)).toBe('1 hour 30 minutes');
    expect(formatDuration(2 * 3_600 + 60)).toBe('2 hours 1 minute');
  });
});
