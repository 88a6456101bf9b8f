import { type AnswerSave, type SaveOutcome } from '../api/save-answer';

/**
 * Answers are kept in localStorage until the server acknowledges them, so nothing is lost to a
 * dropped connection, a reload or a closed tab. One entry per question: the newest wins.
 */
export class SaveQueue {
  private readonly key: string;
  private readonly seqKey: string;
  private flushing = false;
  private running: Promise<void> | null = null;
  private listeners = new Set<() => void>();
  offline = false;
  closed = false;

  constructor(
    readonly attemptId: string,
    private readonly send: (save: AnswerSave) => Promise<SaveOutcome>,
    private readonly storage: Storage = window.localStorage,
  ) {
    this.key = `psf.aida.${attemptId}.pending`;
    this.seqKey = `psf.aida.${attemptId}.seq`;
  }

  pending(): AnswerSave[] {
    try {
      return JSON.parse(this.storage.getItem(this.key) ?? '[]');
    } catch {
      return [];
    }
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sequence numbers grow across reloads and tabs, so the server can drop stale saves. */
  private nextSeq(): number {
    const seq = Math.max(Date.now(), Number(this.storage.getItem(this.seqKey) ?? 0) + 1);
    this.storage.setItem(this.seqKey, String(seq));
    return seq;
  }

  enqueue(questionId: string, optionId: string | null, flagged: boolean): void {
    const rest = this.pending().filter((p) => p.questionId !== questionId);
    this.write([...rest, { questionId, optionId, flagged, clientSeq: this.nextSeq() }]);
    void this.flush();
  }

  /**
   * Sends what is queued, one save at a time, until nothing is left or the server cannot take more
   * now (offline, throttled, attempt closed). Every caller gets the same running flush, so awaiting
   * it always means "after the answers queued so far were sent", never "a flush was already going".
   */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /**
   * Flushes, retrying through throttling or a short outage; true when every answer is saved. Submit
   * waits on this: an attempt closed with an answer still queued would lose that answer for good.
   */
  async drain(attempts = 5, pauseMs = 1_000): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      await this.flush();
      if (this.pending().length === 0) return true;
      if (this.closed || attempt >= attempts) return false;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }

  private async run(): Promise<void> {
    this.flushing = true;
    this.notify();
    try {
      for (;;) {
        const [next] = this.pending();
        if (!next) {
          this.offline = false;
          break;
        }
        const outcome = await this.send(next);
        if (outcome === 'offline' || outcome === 'throttled') {
          this.offline = outcome === 'offline';
          break;
        }
        if (outcome === 'closed') this.closed = true;
        // Saved, or refused for good: drop it unless a newer change to that question arrived meanwhile.
        this.write(this.pending().filter((p) => !(p.questionId === next.questionId && p.clientSeq === next.clientSeq)));
        this.offline = false;
        if (this.closed) break;
      }
    } finally {
      this.flushing = false;
      this.notify();
    }
  }

  get busy(): boolean {
    return this.flushing;
  }

  clear(): void {
    this.storage.removeItem(this.key);
    this.storage.removeItem(this.seqKey);
  }

  private write(items: AnswerSave[]): void {
    if (items.length) this.storage.setItem(this.key, JSON.stringify(items));
    else this.storage.removeItem(this.key);
    this.notify();
  }

  private notify(): void {
    this.listeners.forEach((l) => l());
  }
}
