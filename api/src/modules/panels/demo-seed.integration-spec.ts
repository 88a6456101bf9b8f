import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { TestContext } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { AssessorsRepository } from './assessors.repository';
import { PanelsRepository, rulesOf } from './panels.repository';
import { computeSlots } from './slot-computation';

const CLI = path.resolve(__dirname, '../../../dist/api/src/cli.js');
const ROOT = path.resolve(__dirname, '../../../..');

/** `npm start`'s demo seed (the built CLI's seed:demo) leaves CPAA panels a candidate can book. */
describe('demo seed: bookable CPAA slots', () => {
  let own: OwnDatabase;
  let ctx: TestContext;
  // The worker opens the panel stage from the pass decision's outbox job.
  let worker: INestApplicationContext;

  const seed = () => {
    const run = spawnSync(process.execPath, [CLI, 'seed:demo'], { cwd: ROOT, env: process.env, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return run.stdout;
  };

  beforeAll(async () => {
    own = await OwnDatabase.use('demoseed');
    seed();
    ctx = await TestContext.create();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 2 });
    worker.get(OutboxRelay).start();
  }, 90_000);
  afterAll(async () => {
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  it('is idempotent: a second start adds no account or assessor', async () => {
    const count = async () =>
      (
        await ctx.dataSource.query(
          `SELECT (SELECT count(*)::int FROM users WHERE email LIKE '%@demo.psf.local') AS users, (SELECT count(*)::int FROM assessor_profiles) AS assessors`,
        )
      )[0];
    const before = await count();
    expect(seed()).toContain('assessor1@demo.psf.local');
    expect(await count()).toEqual(before);
    expect(before.assessors).toBe(6);
  }, 90_000);

  it('gives a passed CPAA candidate free slots, and a full panel with a chair whichever two assessors reviewed the portfolio', async () => {
    const admin = await ctx.newAdmin();
    const candidate = await ctx.newUser('candidate');
    await ctx.passCpaaPortfolio(candidate.id, admin);
    const days = (await ctx.as(candidate).get('/api/panels/me/slots?timeZone=Europe/London').expect(200)).body.days;
    expect(days.length).toBeGreaterThanOrEqual(10); // weekdays of the four-week horizon, rolling with today

    // A portfolio's two reviewers may not sit on its panel: take out every pair of the seeded assessors in turn.
    const pool = await ctx.app.get(AssessorsRepository).eligibleCalendars(candidate.id);
    expect(pool).toHaveLength(6);
    const rules = rulesOf(await ctx.app.get(PanelsRepository).settings());
    for (const [i, a] of pool.entries()) {
      for (const b of pool.slice(i + 1)) {
        const rest = pool.filter((x) => x !== a && x !== b);
        expect({ without: [a.id, b.id], slots: computeSlots(rest, Date.now(), rules).length > 0 }).toEqual({
          without: [a.id, b.id],
          slots: true,
        });
      }
    }
  }, 90_000);
});
