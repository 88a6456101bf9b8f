/** A change to one field of the draft: `context.<field>` or `evidence.<criterion>`. */
export interface DraftChange {
  field: string;
  value: string;
  /** When it was typed (ms): the newest change to a field wins. */
  at: number;
}

/** What one save came to: saved, to try again later (offline, throttled), refused for good, or the draft locked. */
export type DraftOutcome = { outcome: 'saved' | 'offline' | 'throttled' } | { outcome: 'rejected' | 'locked'; message: string };

export interface DraftStatus {
  pending: number;
  busy: boolean;
  offline: boolean;
  /** The draft cannot change now (a version under review): pending changes were dropped. */
  locked: string | null;
  /** Fields the server refused, with its reason, shown at the field. */
  refused: Record<string, string>;
}

/**
 * Autosave for the portfolio editor, like the exam's answers: every keystroke is kept in localStorage at once (a
 * reload or a closed tab loses nothing), sent a moment after typing stops, one field at a time, and kept while the
 * connection is down until it returns. On the next load the kept changes are shown instead of the server's copy
 * and sent.
 */
export class DraftQueue {
  private readonly key: string;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private listeners = new Set<() => void>();
  private status: DraftStatus = { pending: 0, busy: false, offline: false, locked: null, refused: {} };

  constructor(
    portfolioId: string,
    private readonly send: (change: DraftChange) => Promise<DraftOutcome>,
    private readonly storage: Storage = window.localStorage,
    private readonly debounceMs = 800,
  ) {
    this.key = `psf.portfolio.${portfolioId}.pending`;
    this.status = { ...this.status, pending: this.pending().length };
  }

  pending(): DraftChange[] {
    try {
      const parsed: unknown = JSON.parse(this.storage.getItem(this.key) ?? '[]');
      return Array.isArray(parsed)
        ? parsed.filter((c): c is DraftChange => typeof c?.field === 'string' && typeof c?.value === 'string')
        : [];
    } catch {
      return [];
    }
  }

  /** The value kept for a field and not yet saved, if any. */
  keptValue(field: string): string | undefined {
    return this.pending().find((c) => c.field === field)?.value;
  }

  snapshot(): DraftStatus {
    return this.status;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Keeps the change now; sends it after `delayMs` without further typing (0: at once, for a select). */
  change(field: string, value: string, delayMs = this.debounceMs): void {
    const { [field]: _, ...refused } = this.status.refused;
    const kept = this.pending();
    // Strictly later than anything kept, so a change is never mistaken for the one just sent.
    const at = Math.max(Date.now(), ...kept.map((c) => c.at + 1));
    this.write([...kept.filter((c) => c.field !== field), { field, value, at }], { refused });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), delayMs);
  }

  /** Sends everything kept; every caller shares the running flush. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the pending timer; what is kept stays in storage for the next load. */
  dispose(): void {
    clearTimeout(this.timer);
  }

  private async run(): Promise<void> {
    this.update({ busy: true });
    try {
      for (;;) {
        const [next] = this.pending();
        if (!next) {
          this.update({ offline: false });
          return;
        }
        const result = await this.send(next);
        if (result.outcome === 'offline' || result.outcome === 'throttled') {
          this.update({ offline: result.outcome === 'offline' });
          return;
        }
        if (result.outcome === 'locked') {
          // Nothing can be written now: what was kept would only be refused again.
          this.write([], { locked: result.message, offline: false });
          return;
        }
        const refused = result.outcome === 'rejected' ? { ...this.status.refused, [next.field]: result.message } : this.status.refused;
        // Saved, or refused for good: dropped unless the field changed again meanwhile.
        this.write(
          this.pending().filter((c) => !(c.field === next.field && c.at === next.at)),
          { refused, offline: false },
        );
      }
    } finally {
      this.update({ busy: false });
    }
  }

  private write(changes: DraftChange[], patch: Partial<DraftStatus> = {}): void {
    if (changes.length) this.storage.setItem(this.key, JSON.stringify(changes));
    else this.storage.removeItem(this.key);
    this.update({ ...patch, pending: changes.length });
  }

  private update(patch: Partial<DraftStatus>): void {
    this.status = { ...this.status, ...patch };
    this.listeners.forEach((l) => l());
  }
}
