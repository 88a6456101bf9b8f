/** One reading of the server's clock: the serverTime of a response and when its request left and returned. */
export interface ClockSample {
  serverTime: string;
  sentAt: number;
  receivedAt: number;
}

const KEPT_SAMPLES = 8;
/** A new reading this far from the estimate means the browser's clock jumped (sleep, a manual change). */
const JUMP_MS = 2_000;

/**
 * The server's clock as seen from this browser. Each sample pairs a response's serverTime with
 * its own request's departure and arrival: the server read its clock about halfway through the
 * round trip. Of the recent samples the one with the shortest round trip is the most precise
 * (NTP's rule), so the estimate does not wobble with network delays. The offset only ever moves
 * the display: ending an attempt is the server's decision.
 */
export class ServerClock {
  private samples: Array<{ offset: number; rtt: number }> = [];
  private last: ClockSample | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Adds a reading; adding the same reading again changes nothing (pages add on every render). */
  add(sample: ClockSample): void {
    if (
      this.last &&
      this.last.sentAt === sample.sentAt &&
      this.last.receivedAt === sample.receivedAt &&
      this.last.serverTime === sample.serverTime
    ) {
      return;
    }
    this.last = sample;
    const rtt = Math.max(0, sample.receivedAt - sample.sentAt);
    const offset = new Date(sample.serverTime).getTime() - (sample.sentAt + sample.receivedAt) / 2;
    if (this.samples.length && Math.abs(offset - this.offset) > Math.max(JUMP_MS, rtt)) this.samples = [];
    this.samples = [...this.samples, { offset, rtt }].slice(-KEPT_SAMPLES);
  }

  /** Milliseconds to add to the browser's clock to get the server's. */
  get offset(): number {
    if (!this.samples.length) return 0;
    return this.samples.reduce((best, s) => (s.rtt < best.rtt ? s : best)).offset;
  }

  serverNow(): number {
    return this.now() + this.offset;
  }

  remainingMs(deadline: string): number {
    return Math.max(0, new Date(deadline).getTime() - this.serverNow());
  }
}

export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function formatDuration(seconds: number): string {
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return `${h} hour${h === 1 ? '' : 's'}${rest ? ` ${rest} minute${rest === 1 ? '' : 's'}` : ''}`;
}
