import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../../../test-support/memory-storage';
import { type DraftChange, type DraftOutcome, DraftQueue } from './draft-queue';

describe('DraftQueue: the portfolio editor never loses input', () => {
  let storage: Storage;
  let sent: DraftChange[];
  let answer: DraftOutcome;
  const send = vi.fn(async (c: DraftChange): Promise<DraftOutcome> => {
    sent.push(c);
    return answer;
  });

  beforeEach(() => {
    vi.useFakeTimers();
    storage = new MemoryStorage();
    sent = [];
    answer = { outcome: 'saved' };
    send.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it('keeps every keystroke at once and sends only the last, after typing stops', async () => {
    const q = new DraftQueue('p1', send, storage, 800);
    q.change('evidence.D01.1', 'W');
    q.change('evidence.D01.1', 'We');
    q.change('evidence.D01.1', 'We classify');
    expect(new DraftQueue('p1', send, storage).keptValue('evidence.D01.1')).toBe('We classify');
    await vi.advanceTimersByTimeAsync(799);
    expect(send).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.map((c) => c.value)).toEqual(['We classify']);
    expect(q.pending()).toEqual([]);
    expect(q.snapshot()).toMatchObject({ pending: 0, busy: false, offline: false });
  });

  it('holds changes while offline, survives a reload, and sends them when the connection returns', async () => {
    answer = { outcome: 'offline' };
    const q = new DraftQueue('p1', send, storage);
    q.change('context.system', 'Claims triage');
    await vi.advanceTimersByTimeAsync(800);
    expect(q.snapshot()).toMatchObject({ pending: 1, offline: true });
    const reloaded = new DraftQueue('p1', send, storage);
    expect(reloaded.keptValue('context.system')).toBe('Claims triage');
    answer = { outcome: 'saved' };
    await reloaded.flush();
    expect(reloaded.snapshot()).toMatchObject({ pending: 0, offline: false });
    expect(sent.at(-1)).toMatchObject({ field: 'context.system', value: 'Claims triage' });
  });

  it('keeps a change typed while its earlier value was on its way', async () => {
    let release!: () => void;
    const slow = vi.fn(
      (c: DraftChange) =>
        new Promise<DraftOutcome>((resolve) => {
          sent.push(c);
          release = () => resolve({ outcome: 'saved' });
        }),
    );
    const q = new DraftQueue('p1', slow, storage);
    q.change('evidence.D02.1', 'first', 0);
    await vi.advanceTimersByTimeAsync(0);
    q.change('evidence.D02.1', 'second');
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(q.keptValue('evidence.D02.1')).toBe('second');
  });

  it('shows a refusal at its field and drops it; a lock drops everything and says why', async () => {
    answer = { outcome: 'rejected', message: 'narrative must be shorter than or equal to 20000 characters' };
    const q = new DraftQueue('p1', send, storage);
    q.change('evidence.D03.1', 'x'.repeat(20001), 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.snapshot().refused).toEqual({ 'evidence.D03.1': 'narrative must be shorter than or equal to 20000 characters' });
    expect(q.pending()).toEqual([]);
    answer = { outcome: 'locked', message: 'Version 1 is under review' };
    q.change('evidence.D03.2', 'a', 0);
    q.change('evidence.D03.3', 'b', 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(q.snapshot()).toMatchObject({ locked: 'Version 1 is under review', pending: 0 });
  });

  it('ignores a damaged copy in storage', () => {
    storage.setItem('psf.portfolio.p1.pending', '{not json');
    expect(new DraftQueue('p1', send, storage).pending()).toEqual([]);
    storage.setItem('psf.portfolio.p1.pending', JSON.stringify([{ field: 1 }, { field: 'context.system', value: 'ok', at: 1 }]));
    expect(new DraftQueue('p1', send, storage).pending()).toEqual([{ field: 'context.system', value: 'ok', at: 1 }]);
  });
});
