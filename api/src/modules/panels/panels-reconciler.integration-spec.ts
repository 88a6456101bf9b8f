import { TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { DecisionsService } from '../reviews/decisions.service';
import { OpenPanelStageJob, PanelReminderJob } from './jobs/panel-jobs';
import { PanelRemindersReconciler } from './panel-reminders.reconciler';
import { PanelStageReconciler } from './panel-stage.reconciler';

const HOUR_MS = 3_600_000;
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

describe('panels reconcilers: the panel stage of a passed CPAA portfolio, reminders of a booked panel (real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let admin: TestUser;
  const afterGrace = () => new Date(Date.now() + config.reconcile.graceMs + 1000);

  /** Fault injection (the subject of these tests): the job's row is marked done although its handler never ran. */
  const completeWithoutRunning = (outboxId: string) =>
    ctx.dataSource.query(`UPDATE outbox SET published_at = coalesce(published_at, now()), completed_at = now() WHERE id = $1`, [outboxId]);

  /** A CPAA submission at adjudication, passed by an administrator through the real decision code (no worker runs). */
  async function passCpaa(candidate: TestUser): Promise<string> {
    const [portfolio] = await ctx.dataSource.query(
      `INSERT INTO portfolios (user_id, credential, context) VALUES ($1, 'CPAA', '{"system":"Claims triage assistant"}') RETURNING id`,
      [candidate.id],
    );
    const content = { context: { system: 'Claims triage assistant', organisation: 'Candidate Org' }, evidence: [] };
    const [submission] = await ctx.dataSource.query(
      `INSERT INTO portfolio_submissions (portfolio_id, user_id, credential, version, content, status)
       VALUES ($1, $2, 'CPAA', 1, $3, 'adjudication') RETURNING id`,
      [portfolio.id, candidate.id, JSON.stringify(content)],
    );
    await ctx.app
      .get(DecisionsService)
      .decide(
        { id: admin.id, email: '', fullName: '', roles: ['admin'], emailVerified: true, sessionFamilyId: '' },
        submission.id,
        'pass',
        'portfolio meets every CPAA domain',
      );
    return submission.id;
  }

  async function stageRows(submissionId: string): Promise<Array<{ id: string; actorId: string | null; open: boolean }>> {
    return ctx.dataSource.query(
      `SELECT id, payload->>'actorId' AS "actorId", completed_at IS NULL AS open FROM outbox
       WHERE job_name = 'open-panel-stage' AND payload->>'submissionId' = $1 ORDER BY created_at`,
      [submissionId],
    );
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
    admin = await ctx.newAdmin();
  }, 30_000);
  afterAll(() => ctx.close());

  it('queues OpenPanelStage again for a CPAA pass whose stage never opened, as the decision did, and not before the grace period', async () => {
    const candidate = await ctx.newCandidate();
    const submissionId = await passCpaa(candidate);
    const [queued] = await stageRows(submissionId);
    expect(queued).toMatchObject({ actorId: admin.id, open: true });
    await completeWithoutRunning(queued.id);

    await ctx.app.get(PanelStageReconciler).reconcile(new Date());
    expect(await stageRows(submissionId)).toHaveLength(1);

    const later = afterGrace();
    expect(await ctx.app.get(PanelStageReconciler).reconcile(later)).toBeGreaterThanOrEqual(1);
    await ctx.app.get(PanelStageReconciler).reconcile(later);
    const rows = await stageRows(submissionId);
    expect(rows).toEqual([
      { ...queued, open: false },
      { id: expect.any(String), actorId: admin.id, open: true },
    ]);

    // The job queued again opens the stage; the pass then owes nothing more.
    await ctx.app.get(OpenPanelStageJob).handle({ submissionId, actorId: admin.id });
    await completeWithoutRunning(rows[1].id);
    expect(await ctx.dataSource.query(`SELECT id FROM panel_interviews WHERE submission_id = $1`, [submissionId])).toHaveLength(1);
    await ctx.app.get(PanelStageReconciler).reconcile(later);
    expect(await stageRows(submissionId)).toHaveLength(2);
  }, 30_000);

  describe('reminders', () => {
    let candidate: TestUser;
    let pool: TestUser[];
    let bookingId: string;
    let startsAt: number;
    const reconciler = () => ctx.app.get(PanelRemindersReconciler);

    async function reminder(recipientId: string, hoursBefore: number) {
      const rows = await ctx.dataSource.query(
        `SELECT r.id, r.run_at AS "runAt", r.outbox_id AS "outboxId", o.completed_at IS NULL AS open, o.run_at AS "jobRunAt"
         FROM panel_reminders r LEFT JOIN outbox o ON o.id = r.outbox_id
         WHERE r.booking_id = $1 AND r.recipient_id = $2 AND r.hours_before = $3 AND r.status = 'scheduled'`,
        [bookingId, recipientId, hoursBefore],
      );
      return rows as Array<{ id: string; runAt: Date; outboxId: string; open: boolean; jobRunAt: Date }>;
    }
    const reminderJobs = async () =>
      (
        await ctx.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox o JOIN panel_reminders r ON o.payload->>'reminderId' = r.id::text WHERE r.booking_id = $1`,
          [bookingId],
        )
      )[0].n as number;

    /** Fault injection: a reminder that was never written (its row and its job are gone). */
    async function loseReminder(recipientId: string, hoursBefore: number) {
      const [lost] = await reminder(recipientId, hoursBefore);
      await ctx.dataSource.query(`DELETE FROM panel_reminders WHERE id = $1`, [lost.id]);
      await ctx.dataSource.query(`DELETE FROM outbox WHERE id = $1`, [lost.outboxId]);
    }

    beforeAll(async () => {
      // Other suites' assessors are switched off so that this panel is drawn from this suite's pool.
      await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
      pool = [];
      for (const chair of [true, false, false]) {
        const a = await ctx.newUser('reviewer', { fullName: chair ? 'Chair Assessor' : 'Panel Assessor' });
        await ctx.as(admin).put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: chair }).expect(200);
        await ctx.as(a).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
        pool.push(a);
      }
      candidate = await ctx.newCandidate();
      const submissionId = await passCpaa(candidate);
      await ctx.app.get(OpenPanelStageJob).handle({ submissionId, actorId: admin.id });
      const slots = (await ctx.as(candidate).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days
        .flatMap((d: { slots: Array<{ start: string }> }) => d.slots)
        .filter((s: { start: string }) => Date.parse(s.start) - Date.now() > 48 * HOUR_MS + 10 * 60_000);
      const booked = (await ctx.as(candidate).post('/api/panels/me/booking', { start: slots[0].start, timeZone: 'UTC' }).expect(201)).body;
      bookingId = booked.booking.id;
      startsAt = Date.parse(slots[0].start);
    }, 60_000);
    afterAll(() => ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`));

    it('queues a lost reminder job again for the same time, and schedules a reminder never written, once each', async () => {
      expect(await reminderJobs()).toBe(8);
      const [candidate1h] = await reminder(candidate.id, 1);
      await completeWithoutRunning(candidate1h.outboxId);
      await loseReminder(pool[0].id, 1);

      // 20 hours before the interview: the 1-hour reminders are within the day ahead, the 48-hour ones are past.
      const now = new Date(startsAt - 20 * HOUR_MS);
      expect(await reconciler().reconcile(now)).toBeGreaterThanOrEqual(2);
      await reconciler().reconcile(now);

      const [again] = await reminder(candidate.id, 1);
      expect(again).toMatchObject({ id: candidate1h.id, open: true });
      expect(again.outboxId).not.toBe(candidate1h.outboxId);
      expect(again.jobRunAt.getTime()).toBe(startsAt - HOUR_MS);
      const [rescheduled] = await reminder(pool[0].id, 1);
      expect(rescheduled).toMatchObject({ open: true });
      expect(rescheduled.runAt.getTime()).toBe(startsAt - HOUR_MS);
      expect(rescheduled.jobRunAt.getTime()).toBe(startsAt - HOUR_MS);
      // 8 jobs as booked, one lost with its row, one replaced, one written: 9 rows in all, 8 of them open.
      expect(await reminderJobs()).toBe(9);

      // The reminder written by the reconciler is sent like any other.
      await ctx.app.get(PanelReminderJob).handle({ reminderId: rescheduled.id });
      const mails = await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE dedupe_key = $1`, [`panel-reminder:${rescheduled.id}`]);
      expect(mails).toHaveLength(1);
    }, 30_000);

    it('leaves a booking changed within the grace period, and reminders whose time has passed, alone', async () => {
      await loseReminder(pool[1].id, 1);
      await loseReminder(pool[1].id, 48);
      const grace = config.reconcile.graceMs;
      config.reconcile.graceMs = 365 * 24 * HOUR_MS;
      try {
        await reconciler().reconcile(new Date(startsAt - 20 * HOUR_MS));
      } finally {
        config.reconcile.graceMs = grace;
      }
      expect(await reminder(pool[1].id, 1)).toEqual([]);

      await reconciler().reconcile(new Date(startsAt - 20 * HOUR_MS));
      expect(await reminder(pool[1].id, 1)).toHaveLength(1);
      expect(await reminder(pool[1].id, 48)).toEqual([]);
    });
  });
});
