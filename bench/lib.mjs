// Shared helpers for the benchmarks: latency recording and percentile reporting.
export class Latencies {
  constructor() {
    this.byName = new Map();
  }
  add(name, ms) {
    if (!this.byName.has(name)) this.byName.set(name, []);
    this.byName.get(name).push(ms);
  }
  report() {
    const rows = [];
    for (const [name, values] of this.byName) {
      const sorted = [...values].sort((a, b) => a - b);
      const p = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      rows.push({ name, n: sorted.length, p50: p(0.5), p95: p(0.95), p99: p(0.99), max: sorted[sorted.length - 1] });
    }
    return rows;
  }
  print(title) {
    console.log(`\n${title}`);
    console.log(
      '  endpoint'.padEnd(44) +
        'n'.padStart(7) +
        'p50 ms'.padStart(10) +
        'p95 ms'.padStart(10) +
        'p99 ms'.padStart(10) +
        'max ms'.padStart(10),
    );
    for (const r of this.report()) {
      console.log(
        `  ${r.name}`.padEnd(44) + String(r.n).padStart(7) + [r.p50, r.p95, r.p99, r.max].map((v) => v.toFixed(1).padStart(10)).join(''),
      );
    }
  }
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` at once. */
export async function pool(n, concurrency, task) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

export const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : (process.env[name.toUpperCase().replace(/-/g, '_')] ?? fallback);
};
