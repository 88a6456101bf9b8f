import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
// One file per run (global setup sets the variable; test workers inherit it), so runs never mix.
export const stateFile = (): string =>
  process.env.PSF_E2E_STATE ?? (process.env.PSF_E2E_STATE = path.join(os.tmpdir(), `psf-e2e-${process.pid}-${Date.now()}.json`));
const CLI = path.join(ROOT, 'api/dist/api/src/cli.js');

export interface PlatformState {
  baseUrl: string;
  databaseName: string;
  databaseUrl: string;
  redisPrefix: string;
  dataDir: string;
  /** A copy of question-bank/ with one extra draft item (global set-up). */
  bankDir: string;
  pids: number[];
  /** Created with a TOTP secret (staff must have a second factor): sign-ins send a code from it. */
  admin: { email: string; password: string; totpSecret: string };
  jwtSecret: string;
}

export function readState(): PlatformState {
  return JSON.parse(readFileSync(stateFile(), 'utf8'));
}

export function writeState(state: PlatformState): void {
  writeFileSync(stateFile(), JSON.stringify(state));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function platformEnv(state: Omit<PlatformState, 'pids' | 'admin'>, port: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: state.baseUrl,
    DATABASE_URL: state.databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: state.redisPrefix,
    JWT_SECRET: state.jwtSecret,
    DATA_DIR: state.dataDir,
    BANK_DIR: state.bankDir,
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '100',
    // Every browser and API call of the run comes from 127.0.0.1, and a sign-in to a TOTP account
    // first meets 'mfa_required', which counts as a failure: the per-address limit would stop the run.
    LOGIN_MAX_FAILURES_PER_IP: '10000',
    // The run registers some fifty accounts, all from this machine.
    REGISTER_MAX_PER_IP_PER_HOUR: '100000',
  };
}

export function runCli(env: NodeJS.ProcessEnv, args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cli ${args[0]} failed: ${r.stderr || r.stdout}`);
}

/** Runs a platform CLI command (e.g. user:create) against the running test platform's database. */
export function platformCli(args: string[]): void {
  const state = readState();
  runCli(platformEnv(state, Number(new URL(state.baseUrl).port)), args);
}

/** Starts a platform process with its output in a bounded log file under the data dir. */
export function startProcess(env: NodeJS.ProcessEnv, script: 'main.js' | 'worker.js', dataDir: string): ChildProcess {
  const log = openSync(path.join(dataDir, `${script}.log`), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'api/dist/api/src', script)], {
    env,
    cwd: ROOT,
    stdio: ['ignore', log, log],
    detached: false,
  });
  closeSync(log);
  return child;
}

export function assertBuilt(): void {
  for (const f of ['api/dist/api/src/main.js', 'web/dist/index.html']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` before the browser tests`);
  }
}
