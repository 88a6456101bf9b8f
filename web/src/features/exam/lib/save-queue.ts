import { AnswerSave, SaveOutcome } from '../api/save-answer';

/**
 * Answers are kept in localStorage until the server acknowledges them, so nothing is lost to a
 * dropped connection, a reload or a closed tab. One entry per question: the newest wins.
 */
export class SaveQueue {
  private readonly key: string;
  private readonly seqKey: string;
  private flushing = false;
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

  async flush(): Promise<void> {
    if (this.flushing || this.closed) return;
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
