import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { PanelWaitAlertsService } from './panel-wait-alerts.service';
import { PanelWaitlistService } from './panel-waitlist.service';

const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/** The CPAA waitlist through the HTTP API, the real worker, Redis (BullMQ) and PostgreSQL. */
describe('CPAA panel waitlist: a candidate with no free slot is told when one opens', () => {
  let ctx: TestContext;
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  const as = (u: TestUser) => ctx.as(u);

  async function addAssessor(chair: boolean, weekly: object[]): Promise<TestUser> {
    const a = await ctx.newUser('reviewer', { fullName: chair ? 'Waitlist Chair' : 'Waitlist Assessor' });
    await as(admin).put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: chair }).expect(200);
    await as(a).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly, overrides: [] }).expect(200);
    return a;
  }

  /** Two assessors free all week and a third with no hours: no panel of three can sit, so no slot exists. */
  async function poolOneShort(): Promise<TestUser> {
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    await addAssessor(true, ALL_DAY);
    await addAssessor(false, ALL_DAY);
    return addAssessor(false, []);
  }

  async function panelCandidate(): Promise<TestUser> {
    const c = await ctx.newUser('candidate', { fullName: 'Waiting Candidate' });
    await ctx.passCpaaPortfolio(c.id, admin);
    return c;
  }

  const slotCount = async (c: TestUser) =>
    (await as(c).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days.reduce(
      (n: number, d: { slots: unknown[] }) => n + d.slots.length,
      0,
    );

  const waitlistMails = async (c: TestUser) =>
    ctx.dataSource.query(`SELECT stored_file, sent_at FROM notifications WHERE template = 'panel-slot-open' AND recipient = $1`, [c.email]);

  const audits = async (action: string, interviewId: string) =>
    (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND subject_id = $2`, [action, interviewId]))[0]
      .n as number;

  /** Every waitlist check queued so far has run (its outbox row completed). */
  const checksSettled = () =>
    eventually(async () => {
      const [open] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE job_name IN ('check-panel-waitlist', 'notify-panel-waitlist') AND completed_at IS NULL`,
      );
      return open.n === 0;
    }, 'the waitlist jobs to run');

  beforeAll(async () => {
    own = await OwnDatabase.use('waitlist');
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 30_000);
  afterAll(async () => {
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  it('joins and leaves the waitlist (audited once each); bad input is refused and changes nothing', async () => {
    await poolOneShort();
    const c = await panelCandidate();
    expect(await slotCount(c)).toBe(0);
    const { interviewId } = (await as(c).get('/api/panels/me').expect(200)).body;

    // bad input: not a zone, no zone, a zone too long: 400, and no entry
    for (const body of [{ timeZone: 'Mars/Olympus' }, {}, { timeZone: 'x'.repeat(65) }, { timeZone: 42 }]) {
      const res = await as(c).put('/api/panels/me/waitlist', body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400 });
    }
    expect((await as(c).get('/api/panels/me').expect(200)).body.waitlist).toBeNull();

    const joined = (await as(c).put('/api/panels/me/waitlist', { timeZone: 'Europe/Berlin' }).expect(200)).body;
    expect(joined.waitlist).toMatchObject({ notifiedAt: null });
    expect(Date.parse(joined.waitlist.joinedAt)).toBeGreaterThan(Date.now() - 60_000);
    // joining again only changes the zone the e-mail uses
    await as(c).put('/api/panels/me/waitlist', { timeZone: 'Asia/Tokyo' }).expect(200);
    expect(await audits('panel.waitlist_joined', interviewId)).toBe(1);
    const [entry] = await ctx.dataSource.query(`SELECT time_zone FROM panel_waitlist WHERE interview_id = $1`, [interviewId]);
    expect(entry.time_zone).toBe('Asia/Tokyo');

    const left = (await as(c).delete('/api/panels/me/waitlist').expect(200)).body;
    expect(left.waitlist).toBeNull();
    await as(c).delete('/api/panels/me/waitlist').expect(200);
    expect(await audits('panel.waitlist_left', interviewId)).toBe(1);

    // no interview to book: 404; a reviewer: 403
    const other = await ctx.newUser('candidate');
    await as(other).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(404);
    await as(other).delete('/api/panels/me/waitlist').expect(404);
    await as(admin).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(403);
  }, 60_000);

  it('e-mails a waiting candidate once when new availability makes a slot bookable, and never one who left', async () => {
    const third = await poolOneShort();
    const waiting = await panelCandidate();
    const leaver = await panelCandidate();
    await as(waiting).put('/api/panels/me/waitlist', { timeZone: 'Europe/Berlin' }).expect(200);
    await as(leaver).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(200);
    await as(leaver).delete('/api/panels/me/waitlist').expect(200);
    await checksSettled();
    expect(await waitlistMails(waiting)).toHaveLength(0);

    // the third assessor adds hours: a full panel can sit now
    await as(third).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
    const mailDir = ctx.app.get<AppConfig>(APP_CONFIG).mailDir;
    const mail = await eventually(async () => {
      const [n] = await waitlistMails(waiting);
      return n?.stored_file ? readFile(path.join(mailDir, n.stored_file), 'utf8') : null;
    }, 'the slot-open e-mail');
    expect(mail).toMatch(/Subject: A CPAA panel interview time is free/);
    expect(mail).toMatch(/\(Europe\/Berlin\)/);
    expect(mail).toContain('/candidate/cpaa/interview');
    const me = (await as(waiting).get('/api/panels/me').expect(200)).body;
    expect(me.waitlist.notifiedAt).not.toBeNull();
    expect(await slotCount(waiting)).toBeGreaterThan(0);
    // a slot is free, so there is nothing to wait for
    await as(leaver).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(409);

    // more availability, another check, the job delivered again: still one e-mail
    await as(third).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 9, weekly: ALL_DAY, overrides: [] }).expect(200);
    await checksSettled();
    expect(await worker.get(PanelWaitlistService).check()).toBe(0);
    const [{ id: entryId }] = await ctx.dataSource.query(
      `SELECT w.id FROM panel_waitlist w JOIN panel_interviews iv ON iv.id = w.interview_id WHERE iv.candidate_id = $1`,
      [waiting.id],
    );
    await worker.get(PanelWaitlistService).notify(entryId);
    expect(await waitlistMails(waiting)).toHaveLength(1);
    expect(await waitlistMails(leaver)).toHaveLength(0);

    // the times go again (the third assessor drops the hours): a candidate told once joins anew, and is told anew
    await as(third).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: [], overrides: [] }).expect(200);
    const again = (await as(waiting).put('/api/panels/me/waitlist', { timeZone: 'Europe/Berlin' }).expect(200)).body;
    expect(again.waitlist.notifiedAt).toBeNull();
    expect(await audits('panel.waitlist_joined', me.interviewId)).toBe(2);
    await as(third).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
    await eventually(async () => (await waitlistMails(waiting)).length === 2, 'the second slot-open e-mail');

    // the candidate books a time the e-mail announced
    const [day] = (await as(waiting).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days.slice(-1);
    await as(waiting).post('/api/panels/me/booking', { start: day.slots[0].start, timeZone: 'Europe/Berlin' }).expect(201);
    expect((await as(waiting).get('/api/panels/me').expect(200)).body).toMatchObject({ stage: 'booked', waitlist: null });
    await as(waiting).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(404);
  }, 90_000);

  it('forgets a waiting candidate who deleted their account: no slot-open e-mail, no alert, not on the board', async () => {
    const third = await poolOneShort();
    const leaver = await panelCandidate();
    const { interviewId } = (await as(leaver).get('/api/panels/me').expect(200)).body;
    await as(leaver).put('/api/panels/me/waitlist', { timeZone: 'UTC' }).expect(200);
    // Long enough ago for the administrators' alert (default 14 days), were the account still there.
    await ctx.dataSource.query(`UPDATE panel_interviews SET created_at = now() - interval '15 days' WHERE id = $1`, [interviewId]);
    await as(leaver).post('/api/me/deletion', { password: leaver.password, confirm: 'DELETE' }).expect(202);

    await as(third).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
    await checksSettled();
    expect(await worker.get(PanelWaitlistService).check()).toBe(0);
    const told = await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE template = 'panel-slot-open' AND recipient = $1`, [
      `deleted-${leaver.id}@invalid`,
    ]);
    expect(told).toEqual([]);

    await worker.get(PanelWaitAlertsService).alert();
    const alerted = await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE template = 'panel-wait-alert' AND dedupe_key LIKE $1`, [
      `panel-wait-alert:${interviewId}:%`,
    ]);
    expect(alerted).toEqual([]);
    const board = (await as(admin).get('/api/admin/panels/waiting').expect(200)).body;
    expect(board.waits.map((w: { interviewId: string }) => w.interviewId)).not.toContain(interviewId);
  }, 60_000);

  it('alerts administrators once to a passed candidate with no booking for PANEL_WAIT_ALERT_DAYS, and lists them', async () => {
    await poolOneShort();
    const longWaiting = await panelCandidate();
    const fresh = await panelCandidate();
    // Fifteen days pass for the first candidate (the alert's default is 14).
    await ctx.dataSource.query(`UPDATE panel_interviews SET created_at = now() - interval '15 days' WHERE candidate_id = $1`, [
      longWaiting.id,
    ]);
    const alerts = worker.get(PanelWaitAlertsService);
    await alerts.alert(); // the hourly job may have run it first: either way each administrator gets one mail
    const mails = async (c: TestUser) =>
      (await ctx.dataSource.query(
        `SELECT recipient, subject FROM notifications WHERE template = 'panel-wait-alert' AND dedupe_key LIKE $1`,
        [`panel-wait-alert:${(await as(c).get('/api/panels/me').expect(200)).body.interviewId}:%`],
      )) as Array<{ recipient: string; subject: string }>;
    const sent = await mails(longWaiting);
    expect(sent.map((m) => m.recipient)).toContain(admin.email);
    expect(sent[0].subject).toMatch(/without a panel booking for 15 days/);
    expect(await mails(fresh)).toHaveLength(0);
    expect(await alerts.alert()).toBe(0);
    expect(await mails(longWaiting)).toHaveLength(sent.length);

    const board = (await as(admin).get('/api/admin/panels/waiting').expect(200)).body;
    expect(board.alertDays).toBe(14);
    const interviewOf = async (c: TestUser) => (await as(c).get('/api/panels/me').expect(200)).body.interviewId as string;
    const listed = board.waits.map((w: { interviewId: string }) => w.interviewId);
    expect(listed).toContain(await interviewOf(longWaiting));
    expect(listed).not.toContain(await interviewOf(fresh));
    expect(board.waits.filter((w: { days: number; alertedAt: string | null }) => w.days < 14 || !w.alertedAt)).toEqual([]);
    await as(longWaiting).get('/api/admin/panels/waiting').expect(403);
  }, 60_000);
});
