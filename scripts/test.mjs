#!/usr/bin/env node
// `npm test`: every tier on a fresh machine — unit specs, integration specs against real
// PostgreSQL and Redis (a fresh database per run), and browser tests in Debian Chromium.
// Installs what is missing (npm dependencies; Chromium via apt as root) or says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aptInstall, DATA_DIR, die, ensureDependencies, log, redisAnswers, ROOT, run } from './lib/env.mjs';

ensureDependencies();
const { findOrStartRedis, localSecrets, startEmbeddedPostgres } = await import('./lib/services.mjs');

const stops = [];
const cleanup = async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

// Browser: Debian's Chromium (Playwright cannot download its own browsers here).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath) && !(aptInstall('chromium', 'browser tests need Chromium') && existsSync(chromiumPath))) {
  die(`browser tests need Chromium at ${chromiumPath}: install Debian's "chromium" package (apt-get install chromium) or set CHROMIUM_PATH`);
}

// PostgreSQL: the one given by TEST_PG_URL, else the local server, else an embedded one for this run.
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
const env = { ...process.env, CHROMIUM_PATH: chromiumPath };
env.TEST_PG_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
if (!(await pgAnswers(env.TEST_PG_URL))) {
  if (process.env.TEST_PG_URL) die(`TEST_PG_URL does not answer: ${process.env.TEST_PG_URL}`);
  log('no PostgreSQL on 127.0.0.1:5432: starting an embedded one for this run');
  const pg = await startEmbeddedPostgres({
    dir: path.join(DATA_DIR, 'test-postgres'),
    database: 'postgres',
    password: localSecrets().postgresPassword,
  });
  stops.push(pg.stop);
  env.TEST_PG_URL = pg.url;
}

// Redis: TEST_REDIS_URL, else 127.0.0.1:6379, else a redis-server of this run's own.
env.TEST_REDIS_URL ??= 'redis://127.0.0.1:6379';
const redisUrl = new URL(env.TEST_REDIS_URL);
if (!(await redisAnswers(redisUrl.hostname, Number(redisUrl.port || 6379)))) {
  if (process.env.TEST_REDIS_URL) die(`TEST_REDIS_URL does not answer: ${process.env.TEST_REDIS_URL}`);
  const redis = await findOrStartRedis({ dir: mkdtempSync(path.join(os.tmpdir(), 'psf-test-redis-')), allowShared: false });
  stops.push(redis.stop);
  env.TEST_REDIS_URL = redis.url;
}

const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'psf-test-results-'));
const jest = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const tiers = [
  { name: 'unit', cwd: 'api', args: ['--selectProjects', 'unit'] },
  { name: 'integration', cwd: 'api', args: ['--selectProjects', 'integration', '--runInBand'] },
  { name: 'browser', cwd: '.', args: ['--config', 'e2e/jest.config.js', '--runInBand'] },
];

log('building the API and the SPA (browser tests run the built platform)…');
run('npm', ['run', 'build'], { env });

let passed = 0;
let failed = 0;
let exitCode = 0;

log('── question bank (npm run bank:check) ──');
const bankCheck = spawnSync(process.execPath, [path.join(ROOT, 'api/dist/api/src/cli.js'), 'bank:check'], { cwd: ROOT, env, stdio: 'inherit' });
if (bankCheck.status !== 0) exitCode = 1;
for (const tier of tiers) {
  log(`── ${tier.name} tests ──`);
  const outputFile = path.join(resultsDir, `${tier.name}.json`);
  const r = spawnSync(process.execPath, [jest, ...tier.args, '--json', '--outputFile', outputFile], {
    cwd: path.join(ROOT, tier.cwd),
    env,
    stdio: 'inherit',
  });
  if (existsSync(outputFile)) {
    const results = JSON.parse(readFileSync(outputFile, 'utf8'));
    passed += results.numPassedTests;
    failed += results.numFailedTests + (results.numRuntimeErrorTestSuites ?? 0);
    if (results.numTotalTests === 0) {
      log(`${tier.name}: no tests ran`);
      exitCode = 1;
    }
  }
  if (r.status !== 0) exitCode = 1;
}
rmSync(resultsDir, { recursive: true, force: true });
await cleanup();
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(exitCode);
