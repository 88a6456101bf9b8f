import { Counter, Gauge, Registry } from 'prom-client';
import { dueAt } from './queue-metrics';
import { ScrapeSource, within } from './scrape-source';

describe('scrape-time reads', () => {
  const setup = (read: () => Promise<number>, timeoutMs = 1_000) => {
    const registry = new Registry();
    const errors = new Counter({ name: 'errors_total', help: 'h', labelNames: ['source'], registers: [registry] });
    const source = new ScrapeSource('outbox', read, errors, timeoutMs);
    for (const name of ['first', 'second']) {
      new Gauge({
        name,
        help: 'h',
        registers: [registry],
        async collect() {
          const value = await source.get();
          if (value === null) this.remove({});
          else this.set(value);
        },
      });
    }
    return registry;
  };

  it('reads once per scrape for every gauge it feeds, and afresh at the next scrape', async () => {
    let reads = 0;
    const registry = setup(async () => ++reads);
    const first = await registry.metrics();
    expect(first).toMatch(/^first 1$/m);
    expect(first).toMatch(/^second 1$/m);
    expect(await registry.metrics()).toMatch(/^first 2$/m);
    expect(reads).toBe(2);
  });

  it('leaves the series out and counts an error when the read fails or outlasts its timeout', async () => {
    const failing = setup(() => Promise.reject(new Error('down')));
    await failing.metrics();
    const body = await failing.metrics();
    expect(body).not.toMatch(/^first /m);
    // The counter is written out while the reads are still going: a scrape shows the failures of those before it.
    expect(body).toMatch(/^errors_total\{source="outbox"\} 1$/m);

    const slow = setup(() => new Promise<number>(() => undefined), 20);
    const started = Date.now();
    expect(await slow.metrics()).not.toMatch(/^second /m);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('within() passes a prompt answer through', async () => {
    await expect(within(Promise.resolve(7), 1_000)).resolves.toBe(7);
  });

  it('dates a waiting job from when it became due: creation plus delay, or its last run', () => {
    expect(dueAt({ timestamp: 1_000, delay: 0, processedOn: undefined })).toBe(1_000);
    expect(dueAt({ timestamp: 1_000, delay: 5_000, processedOn: undefined })).toBe(6_000);
    expect(dueAt({ timestamp: 1_000, delay: 0, processedOn: 9_000 })).toBe(9_000);
  });
});
