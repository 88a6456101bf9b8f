import * as path from 'node:path';
import { TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { BankSyncService } from '../question-bank/bank-sync.service';
import { AttemptDeadlinesReconciler } from './attempt-deadlines.reconciler';
import { AutoSubmitAttemptJob } from './jobs/auto-submit-attempt.job';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

describe('exams reconciler: every attempt in progress has its deadline job (real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let admin: TestUser;
  const reconciler = () => ctx.app.get(AttemptDeadlinesReconciler);
  const afterGrace = () => new Date(Date.now() + config.reconcile.graceMs + 1000);
  const setTimeLimit = (timeLimitSeconds: number) =>
    ctx.http.patch('/api/admin/exams/aida').set('Authorization', `Bearer ${admin.accessToken}`).send({ timeLimitSeconds }).expect(200);
  const start = async (user: TestUser) =>
    (await ctx.as(user).post('/api/exams/aida/attempts').expect(201)).body as { id: string; deadline: string };

  async function deadlineRows(attemptId: string): Promise<Array<{ id: string; runAt: Date; open: boolean }>> {
    return ctx.dataSource.query(
      `SELECT id, run_at AS "runAt", completed_at IS NULL AS open FROM outbox
       WHERE job_name = 'auto-submit-attempt' AND payload->>'attemptId' = $1 ORDER BY created_at`,
      [attemptId],
    );
  }
  const statusOf = async (attemptId: string) =>
    (await ctx.dataSource.query(`SELECT status FROM attempts WHERE id = $1`, [attemptId]))[0].status as string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    admin = await ctx.newAdmin();
  }, 60_000);
  afterAll(async () => {
    await setTimeLimit(1800);
    await ctx.close();
  });

  it('queues the deadline job again, for the same deadline, when it completed without closing the attempt', async () => {
    const attempt = await start(await ctx.newCandidate());
    const [queued] = await deadlineRows(attempt.id);
    expect(queued.runAt.getTime()).toBe(Date.parse(attempt.deadline));
    // Fault injection: the row is marked done although its handler never ran.
    await ctx.dataSource.query(`UPDATE outbox SET published_at = now(), completed_at = now() WHERE id = $1`, [queued.id]);

    // Younger than the grace period: its job may just not have run yet.
    await reconciler().reconcile(new Date());
    expect(await deadlineRows(attempt.id)).toHaveLength(1);

    const later = afterGrace();
    expect(await reconciler().reconcile(later)).toBeGreaterThanOrEqual(1);
    await reconciler().reconcile(later);
    const rows = await deadlineRows(attempt.id);
    expect(rows.map((r) => [r.runAt.getTime(), r.open])).toEqual([
      [Date.parse(attempt.deadline), false],
      [Date.parse(attempt.deadline), true],
    ]);
  });

  it('closes an attempt past its deadline whose job was lost, through the deadline job, and then leaves it alone', async () => {
    await setTimeLimit(1);
    const attempt = await start(await ctx.newCandidate());
    await new Promise((resolve) => setTimeout(resolve, 1200));
    // Fault injection: the deadline job's row is lost (and no sweep ran).
    await ctx.dataSource.query(`DELETE FROM outbox WHERE job_name = 'auto-submit-attempt' AND payload->>'attemptId' = $1`, [attempt.id]);
    expect(await statusOf(attempt.id)).toBe('in_progress');

    const later = afterGrace();
    await reconciler().reconcile(later);
    const [requeued] = await deadlineRows(attempt.id);
    expect(requeued).toMatchObject({ open: true });
    expect(requeued.runAt.getTime()).toBe(Date.parse(attempt.deadline));

    await ctx.app.get(AutoSubmitAttemptJob).handle({ attemptId: attempt.id });
    expect(await statusOf(attempt.id)).toBe('expired');
    // As the worker does once the handler returned.
    await ctx.dataSource.query(`UPDATE outbox SET published_at = now(), completed_at = now() WHERE id = $1`, [requeued.id]);
    await reconciler().reconcile(later);
    expect(await deadlineRows(attempt.id)).toHaveLength(1);
  });
});
