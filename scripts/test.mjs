#!/usr/bin/env node
// `npm test`: every tier on a fresh machine — unit specs, integration specs against real
// PostgreSQL and Redis (a fresh database per run), and browser tests in Debian Chromium.
// Installs what is missing (npm dependencies; Chromium via apt as root) or says what to install.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aptInstall, die, ensureDependencies, log, ROOT, run } from './lib/env.mjs';

ensureDependencies();
const { findOrStartTestServices } = await import('./lib/services.mjs');

const stops = [];
const cleanup = async () => {
  for (const stop of stops.reverse()) await stop().catch(() => undefined);
};
process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));

// Browser: Debian's Chromium (Playwright cannot download its own browsers here).
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath) && !(aptInstall('chromium', 'browser tests need Chromium') && existsSync(chromiumPath))) {
  die(
    `browser tests need Chromium at ${chromiumPath}: install Debian's "chromium" package (apt-get install chromium) or set CHROMIUM_PATH`,
  );
}

// PostgreSQL and Redis to test against: TEST_PG_URL / TEST_REDIS_URL, else the local ones, else this run's own.
const env = { ...process.env, CHROMIUM_PATH: chromiumPath };
const services = await findOrStartTestServices();
stops.push(...services.stops);
env.TEST_PG_URL = services.pgUrl;
env.TEST_REDIS_URL = services.redisUrl;

const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'psf-test-results-'));
const jest = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const vitest = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
const jestArgs =
  (...args) =>
  (outputFile) => [jest, ...args, '--json', '--outputFile', outputFile];
const tiers = [
  { name: 'unit', cwd: 'api', args: jestArgs('--selectProjects', 'unit') },
  // The SPA's own logic (save queue, server clock, token refresh) in Vitest; its JSON report has jest's counters.
  {
    name: 'spa unit',
    cwd: 'web',
    args: (outputFile) => [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`],
  },
  // --forceExit: suites stop and restart Redis servers of their own on purpose; one full run (not reproduced on the
  // suites alone, nor with --detectOpenHandles) kept a client reconnecting to a stopped one after every test had
  // passed, and jest then never exits. Results are unaffected; the leak is named in issue #15's closing note.
  { name: 'integration', cwd: 'api', args: jestArgs('--selectProjects', 'integration', '--runInBand', '--forceExit') },
  { name: 'browser', cwd: '.', args: jestArgs('--config', 'e2e/jest.config.js', '--runInBand') },
];

log('building the API and the SPA (browser tests run the built platform)…');
run('npm', ['run', 'build'], { env });

let passed = 0;
let failed = 0;
// Checks and tiers that failed, named in the last line: test counts alone can read "0 failed" while a check failed.
const failedSteps = [];

log('── question bank (npm run bank:check) ──');
const bankCheck = spawnSync(process.execPath, [path.join(ROOT, 'api/dist/api/src/cli.js'), 'bank:check'], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
if (bankCheck.status !== 0) failedSteps.push('question bank check');
log('── lint and format (npm run lint) ──');
const lint = spawnSync('npm', ['run', '--silent', 'lint'], { cwd: ROOT, env, stdio: 'inherit' });
if (lint.status !== 0) failedSteps.push('lint and format');
log('── module boundaries (npm run metrics -- --check) ──');
const boundaries = spawnSync(process.execPath, [path.join(ROOT, 'scripts/codebase-metrics.mjs'), '--check'], {
  cwd: ROOT,
  env,
  stdio: 'inherit',
});
if (boundaries.status !== 0) failedSteps.push('module boundaries');
for (const tier of tiers) {
  log(`── ${tier.name} tests ──`);
  const outputFile = path.join(resultsDir, `${tier.name.replace(/\W+/g, '-')}.json`);
  const r = spawnSync(process.execPath, tier.args(outputFile), {
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
      failedSteps.push(`${tier.name} tests (none ran)`);
    }
  }
  if (r.status !== 0 && !failedSteps.some((step) => step.startsWith(tier.name))) failedSteps.push(`${tier.name} tests`);
}
rmSync(resultsDir, { recursive: true, force: true });
await cleanup();
process.stdout.write(`\n${passed} passed, ${failed} failed${failedSteps.length > 0 ? `; failed: ${failedSteps.join(', ')}` : ''}\n`);
process.exit(failedSteps.length > 0 ? 1 : 0);
