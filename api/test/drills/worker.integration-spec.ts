import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { base32Decode, generateTotpSecret, totp } from '../../src/common/auth/totp';
import { JobName } from '../../src/infrastructure/queue/job-names';
import { type AttemptView, expectCall, newCandidates, passAll, startAttempt, waitFor } from './candidates';
import { certificatesFor, duplicateSources, unverifiable } from './certificates-state';
import { buildApiIfStale, DrillPlatform } from './platform';

/**
 * Fault drills on the worker (issue #15): killed outright while it issues certificates, and away
 * while attempts reach their deadlines. What it owes must be done once, and soon after it returns.
 */
const PASSES = 12;
const SITTINGS = 10;
const CLI = path.resolve(__dirname, '../../dist/api/src/cli.js');

describe('drill: the worker dies or is away', () => {
  let platform: DrillPlatform;

  beforeAll(async () => {
    buildApiIfStale();
    platform = await DrillPlatform.create('drill_worker');
    await platform.start('api');
    await platform.start('worker');
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  }, 60_000);

  it('issues exactly one verifiable certificate per pass when the worker is SIGKILLed twice during certificate jobs', async () => {
    await platform.reporting(async () => {
      const candidates = await newCandidates(platform, 'certs', PASSES);
      // With the worker away the passes' certificate jobs wait in the outbox, so they all run in the window the kills aim at.
      await platform.stop('worker', 'SIGTERM');
      const sources = (await passAll(platform.baseUrl, candidates)).map((a) => a.id);
      const kills: string[] = [];
      for (let kill = 0; kill < 2; kill++) {
        const before = (await certificatesFor(platform, sources)).length;
        await platform.start('worker');
        // Killed as soon as a further certificate exists: the jobs beside it are mid-way (no PDF or mail yet).
        await waitFor(30_000, async () => ((await certificatesFor(platform, sources)).length > before ? true : undefined), 20);
        await platform.stop('worker', 'SIGKILL');
        const issued = await certificatesFor(platform, sources);
        kills.push(`${issued.length} issued (${issued.filter((c) => !c.complete).length} unfinished)`);
      }
      const restarted = Date.now();
      await platform.start('worker');
      const { ms } = await waitFor(30_000, async () => {
        const found = await certificatesFor(platform, sources);
        return found.length >= PASSES && found.every((c) => c.complete) ? true : undefined;
      });
      const issued = await certificatesFor(platform, sources);
      const duplicates = await duplicateSources(platform, sources);
      const failedChecks = await unverifiable(
        platform,
        issued.map((c) => c.number),
      );
      console.log(
        `[drill] worker SIGKILL ×2 during certificate jobs: ${PASSES} passes, ${issued.length} certificates, ` +
          `${issued.filter((c) => c.complete).length} complete, ${duplicates.length} duplicates, ${issued.length - failedChecks.length} ` +
          `verifiable; at the kills: ${kills.join('; ')}; waited ${((Date.now() - restarted) / 1000).toFixed(1)} s after the last ` +
          `restart (${ms} ms for completion)`,
      );
      expect(issued).toHaveLength(PASSES);
      expect(issued.filter((c) => !c.complete)).toEqual([]);
      expect(new Set(issued.map((c) => c.source_id))).toEqual(new Set(sources));
      expect(duplicates).toEqual([]);
      expect(failedChecks).toEqual([]);
    });
  }, 150_000);

  /** An administrator (created with the app CLI, as on a fresh platform) signed in with their second factor. */
  async function adminToken(): Promise<string> {
    const email = `drill-admin-${Date.now()}@example.org`;
    const password = 'drill administrator passphrase';
    const secret = generateTotpSecret();
    const created = spawnSync(
      process.execPath,
      [CLI, 'user:create', '--email', email, '--password', password, '--name', 'Drill Admin', '--role', 'admin', '--totp-secret', secret],
      { env: platform.childEnv, encoding: 'utf8' },
    );
    if (created.status !== 0) throw new Error(`user:create failed: ${created.stderr || created.stdout}`);
    const session = await expectCall<{ accessToken: string }>(platform.baseUrl, 'POST', '/api/auth/login', 200, {
      body: { email, password, otp: totp(base32Decode(secret)) },
    });
    return session.accessToken;
  }

  it('closes every attempt whose deadline passed while the worker was down within seconds of its return', async () => {
    await platform.reporting(async () => {
      const timeLimitSeconds = 20;
      await expectCall(platform.baseUrl, 'PATCH', '/api/admin/exams/aida', 200, { token: await adminToken(), body: { timeLimitSeconds } });
      const candidates = await newCandidates(platform, 'deadline', SITTINGS);
      const half = SITTINGS / 2;
      // Half the deadlines reach Redis as delayed jobs before the worker goes; the other half exist only in the outbox.
      const queued = await Promise.all(candidates.slice(0, half).map((c) => startAttempt(platform.baseUrl, c)));
      await waitFor(10_000, async () => {
        const [{ n }] = await platform.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox WHERE job_name = $1 AND published_at IS NOT NULL AND payload->>'attemptId' = ANY($2::text[])`,
          [JobName.AutoSubmitAttempt, queued.map((a) => a.id)],
        );
        return n === half ? true : undefined;
      });
      await platform.stop('worker', 'SIGKILL');
      const unqueued = await Promise.all(candidates.slice(half).map((c) => startAttempt(platform.baseUrl, c)));
      const attempts: AttemptView[] = [...queued, ...unqueued];
      const lastDeadline = Math.max(...attempts.map((a) => Date.parse(a.deadline)));
      await new Promise((r) => setTimeout(r, lastDeadline + 1_000 - Date.now()));
      const openStatuses = async () =>
        platform.query<{ status: string }>(`SELECT status FROM attempts WHERE id = ANY($1::uuid[])`, [attempts.map((a) => a.id)]);
      // Read as the owner: the API would close an overdue attempt on read, and the drill is about the worker.
      const stillOpen = (await openStatuses()).filter((a) => a.status === 'in_progress').length;
      const started = Date.now();
      const readyMs = await platform.start('worker');
      const { value: closed, ms } = await waitFor(
        30_000,
        async () => {
          const rows = await openStatuses();
          return rows.every((a) => a.status !== 'in_progress') ? rows : undefined;
        },
        100,
      );
      const closedMs = Date.now() - started;
      console.log(
        `[drill] worker down across deadlines: ${SITTINGS} attempts (${half} deadline jobs in Redis, ${half} only in the outbox), ` +
          `${stillOpen} still open past their deadline; ${closed ? 'all' : 'NOT all'} closed ${(closedMs / 1000).toFixed(1)} s after the worker ` +
          `started (${((closedMs - readyMs) / 1000).toFixed(1)} s after it was ready, ${ms} ms of waiting); statuses: ` +
          `${(closed ?? (await openStatuses())).map((a) => a.status).join(',')}`,
      );
      expect(stillOpen).toBe(SITTINGS);
      expect(closed?.map((a) => a.status)).toEqual(Array(SITTINGS).fill('expired'));
      expect(closedMs - readyMs).toBeLessThan(10_000);
    });
  }, 150_000);
});
