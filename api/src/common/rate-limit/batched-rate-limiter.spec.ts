import { TooManyRequestsException } from '../errors/too-many-requests.exception';
import { BatchedRateLimiter } from './batched-rate-limiter';
import type { WindowCount } from './rate-limiter';

/** A shared counter whose writes land only when the test says so, as a slow database would answer them. */
class SlowCounter {
  hits = 0;
  readonly waiting: Array<() => void> = [];

  hit(_key: string, windowSeconds: number, by = 1): Promise<WindowCount> {
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.hits += by;
        resolve({ hits: this.hits, resetsAt: new Date(Date.now() + windowSeconds * 1000), lastHitAt: new Date() });
      }),
    );
  }

  /** Lets the writes sent so far land, in order. */
  async land(): Promise<void> {
    for (const write of this.waiting.splice(0)) write();
    await Promise.resolve();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('BatchedRateLimiter: hits counted in memory, written to the shared counter every 200 ms', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('counts the hits of a write still on its way: a request during a slow flush is not let through uncounted', async () => {
    const counter = new SlowCounter();
    const limiter = new BatchedRateLimiter(counter);
    const check = (key = 'k') => limiter.check(key, 3, 3600, 'test requests');

    const first = check();
    await counter.land();
    expect(await first).toBeNull(); // 1: the window's first hit, written at once
    expect(check()).toBeNull(); // 2, in memory
    expect(check()).toBeNull(); // 3, in memory
    jest.advanceTimersByTime(200); // the flush sends 2; the database has not answered yet
    expect(counter.waiting).toHaveLength(1);

    const fourth = check();
    expect(fourth).toBeInstanceOf(TooManyRequestsException); // 1 written + 2 on their way + this one
    await counter.land();
    expect(counter.hits).toBe(3);
    expect(check()).toBeInstanceOf(TooManyRequestsException);
  });

  it('counts the opening hit while it is written: requests that arrive before the database answers count from 2', async () => {
    const counter = new SlowCounter();
    const limiter = new BatchedRateLimiter(counter);
    const verdicts = [1, 2, 3, 4].map(() => limiter.check('k', 3, 3600, 'test requests'));
    expect(verdicts.slice(1, 3)).toEqual([null, null]);
    expect(verdicts[3]).toBeInstanceOf(TooManyRequestsException);
    await counter.land();
    expect(await verdicts[0]).toBeNull();
  });

  it('writes one batch per window at a time, so the count read back is never older than a hit it already counted', async () => {
    const counter = new SlowCounter();
    const limiter = new BatchedRateLimiter(counter);
    const opening = limiter.check('k', 100, 3600, 'test requests');
    expect(limiter.check('k', 100, 3600, 'test requests')).toBeNull();
    jest.advanceTimersByTime(200); // the opening hit is still being written: the pending hit waits
    expect(counter.waiting).toHaveLength(1);
    await counter.land();
    await opening;
    jest.advanceTimersByTime(200);
    expect(counter.waiting).toHaveLength(1);
    await counter.land();
    expect(counter.hits).toBe(2);
  });
});
