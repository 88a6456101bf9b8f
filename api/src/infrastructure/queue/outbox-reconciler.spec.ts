import { actionFor } from './outbox-reconciler';

describe('outbox reconciler: what to do with an open row, given its job in Redis', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  const retryMs = 15 * 60_000;
  const open = { failedAt: null };
  const failedRecently = { failedAt: new Date(now.getTime() - retryMs + 1) };
  const failedLongAgo = { failedAt: new Date(now.getTime() - retryMs) };

  it('publishes again a job Redis lost', () => {
    expect(actionFor('unknown', open, now, retryMs)).toBe('republish');
  });

  it('records the outcome of a job Redis finished while no worker lived to record it', () => {
    expect(actionFor('completed', open, now, retryMs)).toBe('complete');
    expect(actionFor('completed', failedRecently, now, retryMs)).toBe('complete');
    expect(actionFor('failed', open, now, retryMs)).toBe('record_failure');
  });

  it('retries a recorded failure only once its cool-off is over, whether Redis still holds the job or lost it', () => {
    expect(actionFor('failed', failedRecently, now, retryMs)).toBe('leave');
    expect(actionFor('failed', failedLongAgo, now, retryMs)).toBe('retry');
    expect(actionFor('unknown', failedRecently, now, retryMs)).toBe('leave');
    expect(actionFor('unknown', failedLongAgo, now, retryMs)).toBe('retry');
  });

  it('leaves jobs that are queued or running', () => {
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children'] as const) {
      expect(actionFor(state, open, now, retryMs)).toBe('leave');
      expect(actionFor(state, failedLongAgo, now, retryMs)).toBe('leave');
    }
  });
});
