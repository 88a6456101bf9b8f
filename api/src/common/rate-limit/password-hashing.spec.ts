import { BoundedSemaphore } from './password-hashing';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('BoundedSemaphore', () => {
  it('runs at most `concurrency` tasks at once, queues `queue` more and refuses the rest with 429', async () => {
    const gate = new BoundedSemaphore(2, 1);
    const blockers = [deferred(), deferred(), deferred()];
    let active = 0;
    let maxActive = 0;
    const task = (i: number) => async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await blockers[i].promise;
      active -= 1;
      return i;
    };
    const first = gate.run(task(0));
    const second = gate.run(task(1));
    const third = gate.run(task(2));
    expect(gate.stats).toEqual({ running: 2, waiting: 1 });
    await expect(gate.run(async () => 99)).rejects.toMatchObject({ status: 429, retryAfterSeconds: 5 });

    blockers[0].resolve();
    await expect(first).resolves.toBe(0);
    // The queued task took the freed slot.
    expect(gate.stats).toEqual({ running: 2, waiting: 0 });
    blockers[1].resolve();
    blockers[2].resolve();
    await expect(Promise.all([second, third])).resolves.toEqual([1, 2]);
    expect(maxActive).toBe(2);
    expect(gate.stats).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot when a task fails', async () => {
    const gate = new BoundedSemaphore(1, 0);
    await expect(
      gate.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await expect(gate.run(async () => 'ok')).resolves.toBe('ok');
  });
});
