import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import type { QueueName } from '../../src/infrastructure/queue/job-names';
import { redisOptions } from '../../src/infrastructure/queue/redis-connection';
import { OwnDatabase } from '../own-database';
import { PrivateRedis } from '../private-redis';

const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'api/dist/api/src');
const SCRIPTS = { api: 'main.js', worker: 'worker.js' } as const;
export type Role = keyof typeof SCRIPTS;

// A drill's children may log for a minute at info level: the file stops growing here, the tail stays current.
const LOG_FILE_MAX_BYTES = 2 * 1024 * 1024;
const LOG_TAIL_LINES = 25;
const LOG_LINE_CHARS = 600;
const READY_TIMEOUT_MS = 45_000;
// The worker logs this once every queue has a consumer (JobWorker.start).
const WORKER_READY_LINE = 'processing queues';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Rebuilds api/dist when its sources are newer (the drills run the built processes, as production
 * does); `npm test` builds before the integration tier, this covers a drill run on its own.
 */
export function buildApiIfStale(): void {
  const env = path.join(ROOT, 'scripts/lib/env.mjs');
  const r = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(env)}).then((m) => m.buildIfStale('api'))`], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the API failed:\n${r.stdout}\n${r.stderr}`);
}

/** One child's output: a size-capped file under the drill's directory and its last lines in memory for failure reports. */
class ChildLog {
  private written = 0;
  private partial = '';
  private readonly lines: string[] = [];

  constructor(readonly file: string) {}

  append(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop()!;
    // A stack trace logged as JSON is one long line: each is cut, so the tail shows several.
    this.lines.push(...lines.filter(Boolean).map((line) => line.slice(0, LOG_LINE_CHARS)));
    this.lines.splice(0, Math.max(0, this.lines.length - LOG_TAIL_LINES));
    if (this.written >= LOG_FILE_MAX_BYTES) return;
    const chunk = text.slice(0, LOG_FILE_MAX_BYTES - this.written);
    appendFileSync(this.file, chunk);
    this.written += Buffer.byteLength(chunk);
  }

  /** The last lines written. */
  recent(): string {
    return [...this.lines, this.partial.slice(0, LOG_LINE_CHARS)].join('\n');
  }
}

/**
 * The platform as it runs in production, for fault drills: the built API and worker as child
 * processes on a database and a redis-server of the drill's own, so a drill can SIGKILL either
 * process, cut PostgreSQL connections or wipe Redis without touching any other suite.
 */
export class DrillPlatform {
  private readonly children = new Map<Role, ChildProcess>();
  private readonly logs: Record<Role, ChildLog>;
  private bankSynced = false;
  /** A drill failed: its children's logs are kept (their paths were printed). */
  private failed = false;
  private readonly killOnExit = () => {
    for (const child of this.children.values()) child.kill('SIGKILL');
  };

  private constructor(
    private readonly database: OwnDatabase,
    readonly redis: PrivateRedis,
    readonly owner: Client,
    private readonly env: NodeJS.ProcessEnv,
    readonly dir: string,
    readonly baseUrl: string,
  ) {
    this.logs = { api: new ChildLog(path.join(dir, 'api.log')), worker: new ChildLog(path.join(dir, 'worker.log')) };
    process.on('exit', this.killOnExit);
  }

  /** A migrated database, a running redis-server and the environment both children get; starts neither. */
  static async create(name: string): Promise<DrillPlatform> {
    const database = await OwnDatabase.use(name);
    // OwnDatabase points this process' environment at the drill database: the children get these values.
    const databaseUrl = process.env.DATABASE_URL!;
    const ownerUrl = process.env.DATABASE_OWNER_URL!;
    const redis = await PrivateRedis.create();
    await redis.start();
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    const dir = mkdtempSync(path.join(os.tmpdir(), `psf-drill-${name}-`));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATABASE_URL: databaseUrl,
      DATABASE_OWNER_URL: ownerUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'drill',
      DATA_DIR: path.join(dir, 'data'),
      BANK_DIR: path.join(ROOT, 'question-bank'),
      SERVE_SPA: 'false',
      MIGRATIONS_RUN: 'false',
      DEMO_SEED: 'false',
      OUTBOX_POLL_MS: '100',
      JOB_STALLED_INTERVAL_SECONDS: '1',
      RECONCILE_INTERVAL_SECONDS: '2',
      RECONCILE_GRACE_SECONDS: '1',
      // Every drill request comes from 127.0.0.1: the per-address limits would stop the drill, not the fault.
      REGISTER_MAX_PER_IP_PER_HOUR: '100000',
      LOGIN_MAX_FAILURES_PER_IP: '100000',
      RATE_LIMIT_PUBLIC_PER_MINUTE: '100000',
    };
    return new DrillPlatform(database, redis, owner, env, dir, baseUrl);
  }

  get mailDir(): string {
    return path.join(this.env.DATA_DIR!, 'mail');
  }

  get redisPrefix(): string {
    return this.env.REDIS_PREFIX!;
  }

  /** The environment the children run with (for the app CLI). */
  get childEnv(): NodeJS.ProcessEnv {
    return { ...this.env };
  }

  running(role: Role): boolean {
    const child = this.children.get(role);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** Starts the API or the worker and waits until it serves (API) or consumes every queue (worker); returns how long that took. */
  async start(role: Role): Promise<number> {
    if (this.running(role)) throw new Error(`${role} is already running`);
    const started = Date.now();
    const log = this.logs[role];
    log.append(`\n--- ${role} starting at ${new Date().toISOString()} ---\n`);
    const child = spawn(process.execPath, [path.join(DIST, SCRIPTS[role])], {
      cwd: ROOT,
      env: {
        ...this.env,
        // The API logs every request at info: warn keeps its file readable; the worker's readiness line is at info.
        LOG_LEVEL: role === 'api' ? 'warn' : 'info',
        // The first start loads the question bank; a restart finds it unchanged, and is quicker without the check.
        BANK_SYNC_ON_START: String(!this.bankSynced),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.set(role, child);
    let output = '';
    const collect = (data: Buffer) => {
      const text = data.toString();
      log.append(text);
      if (output.length < 100_000) output += text;
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    child.once('exit', (code, signal) => log.append(`\n--- ${role} exited (${signal ?? code}) ---\n`));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running(role)) throw new Error(`${role} exited while starting:\n${log.recent()}`);
      if (role === 'worker' ? output.includes(WORKER_READY_LINE) : await this.apiAnswers()) {
        if (role === 'api') this.bankSynced = true;
        log.append(`\n--- ${role} ready after ${Date.now() - started} ms ---\n`);
        return Date.now() - started;
      }
      await sleep(100);
    }
    throw new Error(`${role} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${log.recent()}`);
  }

  /** Liveness where the API has it; /api/health (which also needs Redis) before that. */
  private async apiAnswers(): Promise<boolean> {
    for (const probe of ['/api/health/live', '/api/health']) {
      const status = await fetch(`${this.baseUrl}${probe}`, { signal: AbortSignal.timeout(2_000) }).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return true;
      if (status !== 404) return false;
    }
    return false;
  }

  /** Sends the signal and waits for the process to be gone. */
  async stop(role: Role, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.children.get(role);
    if (!child || !this.running(role)) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // A graceful stop gets 20 s to finish its jobs, then it is killed.
    const overdue = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.kill(signal);
    await exited;
    clearTimeout(overdue);
  }

  /** Stops (SIGKILL unless told) and starts again; returns how long the new process took to be ready. */
  async restart(role: Role, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
    await this.stop(role, signal);
    return this.start(role);
  }

  /** The last lines both children wrote, for a failing drill's report. */
  recentLogs(): string {
    return (Object.keys(this.logs) as Role[])
      .map((role) => `===== ${role} (full log: ${this.logs[role].file}) =====\n${this.logs[role].recent()}`)
      .join('\n');
  }

  /** Runs a drill body; on failure prints the outbox's state and what the children logged last, then fails with the original error. */
  async reporting<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      this.failed = true;
      const outbox = await this.outboxSummary().catch((e: Error) => `(outbox not readable: ${e.message})`);
      console.error(`[drill] failed: ${(error as Error).message}\n===== outbox =====\n${outbox}\n${this.recentLogs()}`);
      throw error;
    }
  }

  /** The outbox by job and progress: which promises are still open, and why. */
  private async outboxSummary(): Promise<string> {
    const rows = await this.query<Record<string, unknown>>(
      `SELECT job_name, published_at IS NOT NULL AS published, completed_at IS NOT NULL AS completed, failures,
              left(coalesce(job_error, last_error, ''), 120) AS error, count(*)::int AS rows
         FROM outbox GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3`,
    );
    return rows.map((r) => JSON.stringify(r)).join('\n');
  }

  /** Owner query on the drill database (the one harness connection; never a pool, so a drill can cut every other one). */
  async query<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    return (await this.owner.query<R>(text, values)).rows;
  }

  /** Fault injection: FLUSHALL on the drill's Redis. */
  async flushRedis(): Promise<void> {
    const client = new Redis(this.redis.url, { maxRetriesPerRequest: 1 });
    try {
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  /** A BullMQ handle on one of the platform's queues, for inspecting (or, as fault injection, pausing) it; close it after. */
  queue(name: QueueName): Queue {
    const queue = new Queue(name, { prefix: this.redisPrefix, connection: redisOptions(this.redis.url, { maxRetriesPerRequest: 1 }) });
    queue.on('error', () => undefined);
    return queue;
  }

  /** Kills both children and redis-server, closes the owner connection, drops the database and removes the files (not a failed drill's logs). */
  async close(): Promise<void> {
    await Promise.all((Object.keys(SCRIPTS) as Role[]).map((role) => this.stop(role, 'SIGKILL')));
    process.off('exit', this.killOnExit);
    await this.redis.stop();
    await this.owner.end().catch(() => undefined);
    await this.database.release();
    rmSync(this.failed ? this.env.DATA_DIR! : this.dir, { recursive: true, force: true });
  }
}
