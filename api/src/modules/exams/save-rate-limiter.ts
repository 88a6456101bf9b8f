/**
 * Per-attempt limit on answer saves (in memory, per API process): a sliding window that
 * stops a script hammering one attempt without touching the database on the hot path.
 */
export class SaveRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    readonly maxSaves = 40,
    readonly windowMs = 10_000,
  ) {}

  /** Returns 0 when the save may proceed, else the seconds to wait. */
  take(attemptId: string, now = Date.now()): number {
    const recent = (this.hits.get(attemptId) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.maxSaves) {
      this.hits.set(attemptId, recent);
      return Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(attemptId, recent);
    if (this.hits.size > 50_000) this.prune(now);
    return 0;
  }

  private prune(now: number): void {
    for (const [id, times] of this.hits) if (times.every((t) => now - t >= this.windowMs)) this.hits.delete(id);
  }
}
