import { TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { CertificatePassesReconciler } from './certificate-passes.reconciler';
import { CertificateRemindersReconciler } from './certificate-reminders.reconciler';
import { CredentialEvents } from './credential-events';
import { IssueCertificateJob } from './jobs/issue-certificate.job';

const DAY_MS = 86_400_000;

describe('certificates reconcilers: passes without a certificate, expiry reminders without a job (real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  const passes = () => ctx.app.get(CertificatePassesReconciler);
  const reminders = () => ctx.app.get(CertificateRemindersReconciler);
  /** A moment when every record made by this suite is older than the grace period. */
  const afterGrace = () => new Date(Date.now() + config.reconcile.graceMs + 1000);

  /** A pass through the real exam (start, every key, submit), which records it; returns its credential event. */
  async function pass(user: TestUser): Promise<string> {
    const attemptId = await ctx.passAida(user);
    const [event] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1 AND kind = 'passed'`, [attemptId]);
    return event.id;
  }

  async function issueRows(credentialEventId: string): Promise<Array<{ id: string; open: boolean }>> {
    return ctx.dataSource.query(
      `SELECT id, completed_at IS NULL AS open FROM outbox WHERE job_name = 'issue-certificate' AND payload->>'credentialEventId' = $1 ORDER BY created_at`,
      [credentialEventId],
    );
  }

  async function reminderRows(certificateId: string): Promise<Array<{ id: string; days: number; runAt: Date; open: boolean }>> {
    return ctx.dataSource.query(
      `SELECT id, (payload->>'daysBefore')::int AS days, run_at AS "runAt", completed_at IS NULL AS open FROM outbox
       WHERE job_name = 'certificate-expiry-reminder' AND payload->>'certificateId' = $1 ORDER BY created_at`,
      [certificateId],
    );
  }

  /** Fault injection (the subject of these tests): the job's row is marked done although its handler never ran. */
  const completeWithoutRunning = (outboxId: string) =>
    ctx.dataSource.query(`UPDATE outbox SET published_at = coalesce(published_at, now()), completed_at = now() WHERE id = $1`, [outboxId]);

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
  }, 30_000);
  afterAll(() => ctx.close());

  it('queues a standing pass again when its issue job completed without a certificate, once, and not before the grace period', async () => {
    const holder = await ctx.newCandidate();
    const eventId = await pass(holder);
    const [queued] = await issueRows(eventId);
    await completeWithoutRunning(queued.id);

    await passes().reconcile(new Date());
    expect(await issueRows(eventId)).toEqual([{ id: queued.id, open: false }]);

    const later = afterGrace();
    expect(await passes().reconcile(later)).toBeGreaterThanOrEqual(1);
    const rows = await issueRows(eventId);
    expect(rows).toEqual([
      { id: queued.id, open: false },
      { id: expect.any(String), open: true },
    ]);
    // The row just queued is open: a second pass leaves it alone.
    await passes().reconcile(later);
    expect(await issueRows(eventId)).toHaveLength(2);

    // The job queued again issues the certificate; after that the pass owes nothing, whatever its rows say.
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: eventId });
    await completeWithoutRunning(rows[1].id);
    expect(await ctx.dataSource.query(`SELECT id FROM certificates WHERE user_id = $1`, [holder.id])).toHaveLength(1);
    await passes().reconcile(later);
    expect(await issueRows(eventId)).toHaveLength(2);
  }, 30_000);

  it('leaves withheld passes (address not confirmed) and withdrawn passes alone, so nothing is audited again', async () => {
    const email = ctx.uniqueEmail('unverified');
    await ctx.http
      .post('/api/auth/register')
      .send({ email, password: 'copper kettle under moonlight', fullName: 'Una Verified' })
      .expect(202);
    const [unverified] = await ctx.dataSource.query(`SELECT id FROM users WHERE email = $1`, [email]);
    const withheldId = await ctx.unconfirmedHolderAidaPass(unverified.id);
    // The issue job runs and withholds it (audited once); the worker then marks its row completed.
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: withheldId });
    await completeWithoutRunning((await issueRows(withheldId))[0].id);

    const changedMind = await ctx.newCandidate();
    const withdrawnId = await pass(changedMind);
    const [{ source_id: attemptId }] = await ctx.dataSource.query(`SELECT source_id FROM credential_events WHERE id = $1`, [withdrawnId]);
    await ctx.dataSource.transaction((tx) =>
      ctx.app.get(CredentialEvents).withdrawPass(tx, { sourceType: 'aida_attempt', sourceId: attemptId, actorId: null, decision: {} }),
    );
    await completeWithoutRunning((await issueRows(withdrawnId))[0].id);

    const later = afterGrace();
    await passes().reconcile(later);
    await passes().reconcile(later);
    expect(await issueRows(withheldId)).toEqual([{ id: expect.any(String), open: false }]);
    expect(await issueRows(withdrawnId)).toEqual([{ id: expect.any(String), open: false }]);
    const audited = await ctx.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'certificate.withheld' AND subject_id = $1`, [
      unverified.id,
    ]);
    expect(audited).toHaveLength(1);
  }, 30_000);

  describe('expiry reminders', () => {
    let holder: TestUser;
    let certificate: { id: string; expiresAt: Date };

    beforeAll(async () => {
      holder = await ctx.newCandidate();
      await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: await pass(holder) });
      [certificate] = await ctx.dataSource.query(`SELECT id, expires_at AS "expiresAt" FROM certificates WHERE user_id = $1`, [holder.id]);
    }, 30_000);

    it('queues a lost reminder again at its own time once it is a day ahead, and only once', async () => {
      const due = (days: number) => new Date(certificate.expiresAt.getTime() - days * DAY_MS);
      const issued = await reminderRows(certificate.id);
      expect(issued.map((r) => [r.days, r.runAt.getTime(), r.open])).toEqual([
        [60, due(60).getTime(), true],
        [14, due(14).getTime(), true],
      ]);
      // Faults: the 60-day row is lost, the 14-day row marked done without running.
      await ctx.dataSource.query(`DELETE FROM outbox WHERE id = $1`, [issued[0].id]);
      await completeWithoutRunning(issued[1].id);

      // Half a day before the 60-day reminder: that one is queued again; the 14-day one is not looked at yet.
      const before60 = new Date(due(60).getTime() - DAY_MS / 2);
      expect(await reminders().reconcile(before60)).toBeGreaterThanOrEqual(1);
      await reminders().reconcile(before60);
      const after60 = await reminderRows(certificate.id);
      expect(after60.filter((r) => r.open).map((r) => [r.days, r.runAt.getTime()])).toEqual([[60, due(60).getTime()]]);

      const before14 = new Date(due(14).getTime() - DAY_MS / 2);
      await reminders().reconcile(before14);
      await reminders().reconcile(before14);
      const after14 = await reminderRows(certificate.id);
      expect(after14.filter((r) => r.open).map((r) => [r.days, r.runAt.getTime()])).toEqual([
        [60, due(60).getTime()],
        [14, due(14).getTime()],
      ]);
      expect(after14).toHaveLength(3);
    });

    it('sends no reminder late, none for a revoked certificate, and none for one younger than the grace period', async () => {
      await ctx.dataSource.query(`DELETE FROM outbox WHERE job_name = 'certificate-expiry-reminder' AND payload->>'certificateId' = $1`, [
        certificate.id,
      ]);
      const due14 = certificate.expiresAt.getTime() - 14 * DAY_MS;
      await reminders().reconcile(new Date(due14 + 60_000));
      expect(await reminderRows(certificate.id)).toEqual([]);

      const grace = config.reconcile.graceMs;
      config.reconcile.graceMs = 10 * 365 * DAY_MS;
      try {
        await reminders().reconcile(new Date(due14 - DAY_MS / 2));
      } finally {
        config.reconcile.graceMs = grace;
      }
      expect(await reminderRows(certificate.id)).toEqual([]);

      const [{ number }] = await ctx.dataSource.query(`SELECT number FROM certificates WHERE id = $1`, [certificate.id]);
      await ctx
        .as(await ctx.newAdmin())
        .post(`/api/admin/certificates/${number}/revoke`, { reason: 'Identity fraud at the exam' })
        .expect(200);
      await reminders().reconcile(new Date(due14 - DAY_MS / 2));
      expect(await reminderRows(certificate.id)).toEqual([]);
    });
  });
});
