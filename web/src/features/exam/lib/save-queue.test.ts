import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryStorage } from '../../../test-support/memory-storage';
import type { AnswerSave, SaveOutcome } from '../api/save-answer';
import { SaveQueue } from './save-queue';

const T0 = Date.parse('2030-05-01T09:00:00.000Z');
const PENDING_KEY = 'psf.aida.att-1.pending';

/** Lets pending promise callbacks (the queue's loop) run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A server the test answers by hand, one save at a time. */
function manualServer() {
  const calls: Array<{ save: AnswerSave; answer: (outcome: SaveOutcome) => void }> = [];
  let answered = 0;
  const send = vi.fn((save: AnswerSave) => new Promise<SaveOutcome>((answer) => calls.push({ save, answer })));
  return {
    send,
    calls,
    /** How many saves are waiting for an answer. */
    inFlight: () => calls.length - answered,
    /** Answers the oldest save still waiting, then lets the queue react. */
    async answer(outcome: SaveOutcome) {
      const call = calls[answered];
      if (!call) throw new Error('no save is waiting for an answer');
      answered += 1;
      call.answer(outcome);
      await settle();
    },
  };
}

/** A server that answers each save at once with the next scripted outcome ('saved' once the script runs out). */
function scriptedServer(...outcomes: SaveOutcome[]) {
  const sent: AnswerSave[] = [];
  const send = vi.fn(async (save: AnswerSave) => {
    sent.push(save);
    return outcomes.shift() ?? 'saved';
  });
  return { send, sent };
}

const questionsOf = (saves: AnswerSave[]) => saves.map((s) => s.questionId);

describe('SaveQueue', () => {
  let storage: MemoryStorage;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    storage = new MemoryStorage();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps an answer in storage until the server acknowledges it', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'o1', false);
    await settle();
    expect(server.send).toHaveBeenCalledWith({ questionId: 'q1', optionId: 'o1', flagged: false, clientSeq: T0 });
    expect(JSON.parse(storage.getItem(PENDING_KEY) ?? '[]')).toEqual([{ questionId: 'q1', optionId: 'o1', flagged: false, clientSeq: T0 }]);

    await server.answer('saved');
    expect(queue.pending()).toEqual([]);
    expect(storage.getItem(PENDING_KEY)).toBeNull();
  });

  it('sends one save at a time in the order the answers were changed', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'o1', false);
    queue.enqueue('q2', 'o2', false);
    queue.enqueue('q3', null, true);
    await settle();
    expect(server.inFlight()).toBe(1);

    await server.answer('saved');
    expect(server.inFlight()).toBe(1);
    await server.answer('saved');
    await server.answer('saved');

    expect(questionsOf(server.calls.map((c) => c.save))).toEqual(['q1', 'q2', 'q3']);
    expect(queue.pending()).toEqual([]);
  });

  it('sends only the newest change to a question that is still waiting', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'o1', false);
    queue.enqueue('q2', 'a', false);
    queue.enqueue('q2', 'b', false);
    queue.enqueue('q2', 'b', true);
    expect(queue.pending()).toHaveLength(2);

    await server.answer('saved');
    await server.answer('saved');

    expect(server.calls.map((c) => c.save)).toEqual([
      { questionId: 'q1', optionId: 'o1', flagged: false, clientSeq: T0 },
      { questionId: 'q2', optionId: 'b', flagged: true, clientSeq: T0 + 3 },
    ]);
  });

  it('moves a question changed again behind the answers already waiting', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'o1', false);
    queue.enqueue('q2', 'o2', false);
    queue.enqueue('q3', 'o3', false);
    queue.enqueue('q2', 'o2b', false);
    for (let i = 0; i < 3; i += 1) await server.answer('saved');

    expect(questionsOf(server.calls.map((c) => c.save))).toEqual(['q1', 'q3', 'q2']);
    expect(server.calls[2].save.optionId).toBe('o2b');
  });

  it('keeps a change made while the previous save of that question is in flight', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'first', false);
    await settle();
    queue.enqueue('q1', 'second', false);

    // The server acknowledges the first choice: that must not discard the second one.
    await server.answer('saved');
    expect(queue.pending()).toEqual([{ questionId: 'q1', optionId: 'second', flagged: false, clientSeq: T0 + 1 }]);
    expect(server.calls[1].save).toEqual({ questionId: 'q1', optionId: 'second', flagged: false, clientSeq: T0 + 1 });

    await server.answer('saved');
    expect(queue.pending()).toEqual([]);
  });

  it('numbers saves with increasing sequence numbers while the clock stands still or goes back', () => {
    const queue = new SaveQueue('att-1', scriptedServer('offline', 'offline', 'offline', 'offline').send, storage);

    queue.enqueue('q1', 'a', false);
    queue.enqueue('q2', 'a', false);
    vi.setSystemTime(T0 - 3_600_000);
    queue.enqueue('q3', 'a', false);
    vi.setSystemTime(T0 + 60_000);
    queue.enqueue('q4', 'a', false);

    expect(queue.pending().map((p) => p.clientSeq)).toEqual([T0, T0 + 1, T0 + 2, T0 + 60_000]);
  });

  it('continues the sequence after a reload so the server can drop stale saves', () => {
    const before = new SaveQueue('att-1', scriptedServer('offline', 'offline').send, storage);
    before.enqueue('q1', 'a', false);
    before.enqueue('q2', 'a', false);

    const afterReload = new SaveQueue('att-1', scriptedServer('offline').send, storage);
    afterReload.enqueue('q1', 'b', false);

    expect(afterReload.pending()).toEqual([
      { questionId: 'q2', optionId: 'a', flagged: false, clientSeq: T0 + 1 },
      { questionId: 'q1', optionId: 'b', flagged: false, clientSeq: T0 + 2 },
    ]);
  });

  it("keeps each attempt's answers apart", () => {
    const first = new SaveQueue('att-1', scriptedServer('offline').send, storage);
    const second = new SaveQueue('att-2', scriptedServer('offline').send, storage);
    first.enqueue('q1', 'a', false);

    expect(second.pending()).toEqual([]);
    expect(first.pending()).toHaveLength(1);
  });

  it('keeps the answer and stops when the connection is down, then retries the same save', async () => {
    const server = scriptedServer('offline');
    const queue = new SaveQueue('att-1', server.send, storage);

    queue.enqueue('q1', 'a', false);
    await settle();
    expect(queue.offline).toBe(true);
    queue.enqueue('q2', 'b', false);
    await settle();
    // The enqueue's own attempt reaches the (now answering) server and drains both, oldest first.
    expect(server.sent).toEqual([
      { questionId: 'q1', optionId: 'a', flagged: false, clientSeq: T0 },
      { questionId: 'q1', optionId: 'a', flagged: false, clientSeq: T0 },
      { questionId: 'q2', optionId: 'b', flagged: false, clientSeq: T0 + 1 },
    ]);
    expect(queue.pending()).toEqual([]);
    expect(queue.offline).toBe(false);
  });

  it('does not try the next answer while the first cannot be delivered', async () => {
    const server = scriptedServer('offline', 'offline');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    queue.enqueue('q2', 'b', false);
    await settle();

    expect(questionsOf(server.sent)).toEqual(['q1']);
    expect(questionsOf(queue.pending())).toEqual(['q1', 'q2']);
    expect(queue.offline).toBe(true);

    await queue.flush();
    expect(questionsOf(server.sent)).toEqual(['q1', 'q1']);
    expect(questionsOf(queue.pending())).toEqual(['q1', 'q2']);

    await queue.flush();
    expect(questionsOf(server.sent)).toEqual(['q1', 'q1', 'q1', 'q2']);
    expect(queue.pending()).toEqual([]);
    expect(queue.offline).toBe(false);
  });

  it('replaces an answer waiting offline with a newer change to it', async () => {
    const server = scriptedServer('offline');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    queue.enqueue('q1', 'b', false);
    await settle();
    expect(queue.pending()).toEqual([{ questionId: 'q1', optionId: 'b', flagged: false, clientSeq: T0 + 1 }]);

    await queue.flush();
    expect(server.sent.at(-1)).toEqual({ questionId: 'q1', optionId: 'b', flagged: false, clientSeq: T0 + 1 });
    expect(queue.pending()).toEqual([]);
  });

  it('keeps a throttled answer for later without reporting the connection as down', async () => {
    const server = scriptedServer('throttled');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    await settle();

    expect(questionsOf(queue.pending())).toEqual(['q1']);
    expect(queue.offline).toBe(false);

    await queue.flush();
    expect(queue.pending()).toEqual([]);
  });

  it('drops an answer the server refuses for good and goes on with the next', async () => {
    const server = scriptedServer('rejected');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    queue.enqueue('q2', 'b', false);
    await settle();

    expect(questionsOf(server.sent)).toEqual(['q1', 'q2']);
    expect(queue.pending()).toEqual([]);
  });

  it('stops sending once the server says the attempt is closed', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    queue.enqueue('q2', 'b', false);
    await server.answer('closed');

    expect(queue.closed).toBe(true);
    expect(questionsOf(queue.pending())).toEqual(['q2']);
    queue.enqueue('q3', 'c', false);
    await queue.flush();
    expect(server.send).toHaveBeenCalledTimes(1);
    expect(questionsOf(queue.pending())).toEqual(['q2', 'q3']);
  });

  it('sends the answers an earlier page load left behind', async () => {
    new SaveQueue('att-1', scriptedServer('offline', 'offline').send, storage).enqueue('q1', 'a', false);
    const server = scriptedServer();
    const reloaded = new SaveQueue('att-1', server.send, storage);

    await reloaded.flush();
    expect(server.sent).toEqual([{ questionId: 'q1', optionId: 'a', flagged: false, clientSeq: T0 }]);
    expect(reloaded.pending()).toEqual([]);
  });

  it('resolves a flush only when every answer, including those added meanwhile, is saved', async () => {
    const offlineQueue = new SaveQueue('att-1', scriptedServer('offline', 'offline').send, storage);
    offlineQueue.enqueue('q1', 'a', false);
    offlineQueue.enqueue('q2', 'b', false);
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);

    let done = false;
    const flushed = queue.flush().then(() => {
      done = true;
    });
    await settle();
    queue.enqueue('q3', 'c', false);
    await server.answer('saved');
    await server.answer('saved');
    expect(done).toBe(false);

    await server.answer('saved');
    await flushed;
    expect(done).toBe(true);
    expect(questionsOf(server.calls.map((c) => c.save))).toEqual(['q1', 'q2', 'q3']);
    expect(queue.pending()).toEqual([]);
  });

  // A second flush used to return at once while the first was still sending, so "await flush(); submit"
  // could close the attempt before the last answer was saved, and the late save was then refused.
  it('makes a flush called during another flush wait until the queue is drained', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    await settle();

    let done = false;
    const flushed = queue.flush().then(() => {
      done = true;
    });
    await settle();
    expect(done).toBe(false);

    await server.answer('saved');
    await flushed;
  });

  it('drains through a short outage before a submit, saving every answer', async () => {
    const server = scriptedServer('offline', 'throttled', 'saved', 'saved');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);
    queue.enqueue('q2', 'b', false);

    await expect(queue.drain(5, 0)).resolves.toBe(true);
    expect(queue.pending()).toEqual([]);
    expect(questionsOf(server.sent)).toEqual(['q1', 'q1', 'q1', 'q2']);
  });

  it('tells a submit that answers are still unsaved when the connection stays down', async () => {
    const server = scriptedServer('offline', 'offline', 'offline', 'offline', 'offline', 'offline');
    const queue = new SaveQueue('att-1', server.send, storage);
    queue.enqueue('q1', 'a', false);

    await expect(queue.drain(3, 0)).resolves.toBe(false);
    expect(queue.pending().map((p) => p.questionId)).toEqual(['q1']);
  });

  it('reports when it is busy and tells subscribers about every change', async () => {
    const server = manualServer();
    const queue = new SaveQueue('att-1', server.send, storage);
    const seen: Array<{ pending: number; busy: boolean }> = [];
    const unsubscribe = queue.subscribe(() => seen.push({ pending: queue.pending().length, busy: queue.busy }));

    queue.enqueue('q1', 'a', false);
    await settle();
    expect(queue.busy).toBe(true);
    await server.answer('saved');
    expect(queue.busy).toBe(false);
    expect(seen.at(-1)).toEqual({ pending: 0, busy: false });
    expect(seen).toContainEqual({ pending: 1, busy: true });

    const count = seen.length;
    unsubscribe();
    queue.enqueue('q2', 'b', false);
    await server.answer('saved');
    expect(seen).toHaveLength(count);
  });

  it("forgets the attempt's answers and sequence when cleared", () => {
    const queue = new SaveQueue('att-1', scriptedServer('offline').send, storage);
    queue.enqueue('q1', 'a', false);
    queue.clear();

    expect(queue.pending()).toEqual([]);
    expect(storage.length).toBe(0);
  });

  it('treats unreadable stored answers as none rather than failing', () => {
    storage.setItem(PENDING_KEY, '{not json');
    const queue = new SaveQueue('att-1', scriptedServer().send, storage);

    expect(queue.pending()).toEqual([]);
  });
});
