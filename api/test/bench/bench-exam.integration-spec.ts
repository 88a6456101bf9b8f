import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { QueueName } from '../../src/infrastructure/queue/job-names';
import { buildApiIfStale, DrillPlatform } from '../drills/platform';
import { sample } from '../prometheus-sample';

/**
 * The exam benchmarks (issue #16) against the built API and worker on a database of their own: `bench:exam`
 * runs as an operator runs it, and `/metrics` must then show what it did; `users:bulk-create` makes the
 * accounts the large runs need.
 */
const ROOT = path.resolve(__dirname, '../../..');
const BENCH = path.join(ROOT, 'bench/exam.mjs');
const CLI = path.join(ROOT, 'api/dist/api/src/cli.js');
const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';
// Output kept for a failure's message: the head (set-up) and the tail (summary) of a run.
const OUTPUT_MAX_CHARS = 20_000;

interface Run {
  status: number | null;
  output: string;
}

/** `node bench/exam.mjs …` against the platform; resolves with its exit status and (bounded) output. */
function bench(platform: DrillPlatform, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BENCH, '--base-url', platform.baseUrl, '--mail-dir', platform.mailDir, ...args], {
      cwd: ROOT,
      // bench's options fall back to environment variables of the same name: give it none of the platform's.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, JWT_SECRET: platform.childEnv.JWT_SECRET },
    });
    let output = '';
    const keep = (d: Buffer) => {
      output += d.toString();
      if (output.length > OUTPUT_MAX_CHARS) output = `${output.slice(0, OUTPUT_MAX_CHARS / 2)}\n…\n${output.slice(-OUTPUT_MAX_CHARS / 2)}`;
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

function bulkCreate(platform: DrillPlatform, args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [CLI, 'users:bulk-create', ...args], { env: { ...platform.childEnv, ...env }, encoding: 'utf8' });
}

describe('exam benchmarks against the built platform (issue #16)', () => {
  let platform: DrillPlatform;
  const saved = { METRICS_TOKEN: process.env.METRICS_TOKEN, ACCESS_TOKEN_TTL_SECONDS: process.env.ACCESS_TOKEN_TTL_SECONDS };

  beforeAll(async () => {
    buildApiIfStale();
    // The children take this process' environment: a metrics token, and access tokens so short-lived that the paced
    // mode has to refresh them (as a long run does) before every call.
    process.env.METRICS_TOKEN = METRICS_TOKEN;
    process.env.ACCESS_TOKEN_TTL_SECONDS = '60';
    try {
      platform = await DrillPlatform.create('bench');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    await platform.start('api');
    await platform.start('worker');
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  }, 60_000);

  it('/metrics shows the exam counters and every queue’s depth gauges after a bench:exam run', async () => {
    await platform.reporting(async () => {
      const run = await bench(platform, ['--candidates', '5', '--concurrency', '5']);
      expect({ status: run.status, output: run.output }).toEqual({ status: 0, output: expect.stringMatching(/^errors: 0$/m) });
      expect(run.output).toMatch(/exam phase: 5 attempts completed/);

      const unauthorised = await fetch(`${platform.baseUrl}/metrics`);
      expect(unauthorised.status).toBe(401);
      const res = await fetch(`${platform.baseUrl}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(sample(body, 'psf_exam_attempts_started_total')).toBeGreaterThanOrEqual(5);
      expect(sample(body, 'psf_exam_answers_saved_total')).toBeGreaterThanOrEqual(5 * 20);
      for (const queue of Object.values(QueueName)) {
        for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed']) {
          expect([queue, state, sample(body, 'psf_queue_jobs', { queue, state })]).toEqual([queue, state, expect.any(Number)]);
        }
        expect(sample(body, 'psf_queue_oldest_waiting_age_seconds', { queue })).toBeGreaterThanOrEqual(0);
      }
      // The run's five verification mails went through the accounts queue, and its attempts' deadline jobs wait in the exams queue.
      expect(sample(body, 'psf_queue_jobs', { queue: QueueName.Accounts, state: 'completed' })).toBeGreaterThanOrEqual(5);
      expect(sample(body, 'psf_queue_jobs', { queue: QueueName.Exams, state: 'delayed' })).toBeGreaterThanOrEqual(0);
    });
  }, 120_000);

  it('users:bulk-create makes verified candidates sharing one password, audited so that the chain verifies', async () => {
    await platform.reporting(async () => {
      const password = 'bulk bench password';
      const created = bulkCreate(platform, ['--count', '620', '--email-pattern', 'bulk-{n}@bench.test', '--password', password]);
      expect({ status: created.status, stderr: created.stderr }).toEqual({ status: 0, stderr: '' });
      expect(created.stdout).toMatch(/620 verified candidate accounts bulk-1@bench\.test … bulk-620@bench\.test/);

      const [accounts] = await platform.query<{ n: number; verified: number; hashes: number; candidates: number }>(
        `SELECT count(*)::int AS n, count(email_verified_at)::int AS verified, count(DISTINCT password_hash)::int AS hashes,
                count(*) FILTER (WHERE roles = '{candidate}')::int AS candidates
           FROM users WHERE email LIKE 'bulk-%@bench.test'`,
      );
      expect(accounts).toEqual({ n: 620, verified: 620, hashes: 1, candidates: 620 });
      const [audit] = await platform.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log a JOIN users u ON u.id = a.subject_id::uuid
          WHERE a.action = 'user.created' AND a.data->>'via' = 'cli' AND u.email LIKE 'bulk-%@bench.test'`,
      );
      expect(audit.n).toBe(620);
      const verify = spawnSync(process.execPath, [CLI, 'audit:verify'], { env: platform.childEnv, encoding: 'utf8' });
      expect(verify.stdout).toMatch(/^audit:verify: OK/);

      for (const email of ['bulk-1@bench.test', 'bulk-620@bench.test']) {
        const login = await fetch(`${platform.baseUrl}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
        expect([email, login.status]).toEqual([email, 200]);
      }
    });
  }, 120_000);

  it('users:bulk-create refuses production without the flag, a pattern without {n} and an address that exists, creating nothing', async () => {
    const count = async () =>
      (await platform.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE email LIKE 'refused-%@bench.test'`))[0].n;
    const args = ['--count', '3', '--email-pattern', 'refused-{n}@bench.test', '--password', 'bulk bench password'];

    const production = bulkCreate(platform, args, { NODE_ENV: 'production' });
    expect([production.status, production.stderr]).toEqual([2, expect.stringMatching(/refused with NODE_ENV=production/)]);
    const noNumber = bulkCreate(platform, ['--count', '3', '--email-pattern', 'refused@bench.test', '--password', 'bulk bench password']);
    expect([noNumber.status, noNumber.stderr]).toEqual([2, expect.stringMatching(/--email-pattern must contain \{n\}/)]);
    expect(await count()).toBe(0);

    expect(
      bulkCreate(platform, [
        '--count',
        '1',
        '--first',
        '2',
        '--email-pattern',
        'refused-{n}@bench.test',
        '--password',
        'bulk bench password',
      ]).status,
    ).toBe(0);
    const clash = bulkCreate(platform, args);
    expect([clash.status, clash.stderr]).toEqual([
      2,
      expect.stringMatching(/refused-1@bench\.test … refused-3@bench\.test exists already/),
    ]);
    expect(await count()).toBe(1);
  }, 60_000);

  it('spike and paced modes run with bulk accounts and print their summary line with 0 errors', async () => {
    await platform.reporting(async () => {
      const bulk = ['--bulk-accounts', '--database-url', platform.childEnv.DATABASE_OWNER_URL!, '--data-dir', platform.childEnv.DATA_DIR!];
      const spike = await bench(platform, ['--mode', 'spike', '--candidates', '8', '--rate', '4', '--duration', '1', ...bulk]);
      expect({ status: spike.status, output: spike.output }).toEqual({
        status: 0,
        output: expect.stringMatching(
          /^bench:exam spike: 8 simultaneous starts: 8 in .* errors 0; sustained 4\/s offered for 1 s: .* errors 0;/m,
        ),
      });
      const paced = await bench(platform, ['--mode', 'paced', '--candidates', '4', '--ramp', '1', '--save-every-ms', '0-50', ...bulk]);
      expect({ status: paced.status, output: paced.output }).toEqual({
        status: 0,
        output: expect.stringMatching(/^bench:exam paced: 4 candidates, .* errors 0; start p99 .* 4 started .* 4 submitted/m),
      });
      // Every question of the four attempts answered: the save row counts them all.
      const saves = Number(/(\d+) saves \(/.exec(paced.output)?.[1]);
      expect(saves).toBeGreaterThanOrEqual(4 * 20);
      expect(paced.output).toMatch(new RegExp(`^ {2}PUT …/answers/:questionId +${saves} `, 'm'));
      // The 60-second access tokens were refreshed before the calls, as a long run's are.
      expect(paced.output).toMatch(/^ {2}POST \/api\/auth\/refresh +\d+/m);
    });
  }, 180_000);
});
