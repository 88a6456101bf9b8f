import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import ICAL from 'ical.js';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { QueueName } from '../../infrastructure/queue/job-names';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { PanelStage } from './panel-stage';

const DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07', 'D08'];
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/** CPAA panels through the HTTP API, the real worker, Redis (BullMQ) and PostgreSQL. */
describe('CPAA panel interviews: availability, booking, invitations, reminders, scoring and decision', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  const as = (u: TestUser) => ctx.as(u);
  const queue = () => ctx.app.get(QueueRegistry).get(QueueName.Panels);

  /** A fresh pool: everyone else's assessor profiles are switched off so each test owns its panel. */
  type AssessorSpec = { chair?: boolean; timeZone?: string; weekly?: object[]; cap?: number };
  async function addAssessor(spec: AssessorSpec, label = 'Assessor'): Promise<TestUser> {
    const a = await ctx.newUser('reviewer', { fullName: `${label}${spec.chair ? ' (chair)' : ''}` });
    await as(admin)
      .put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: Boolean(spec.chair) })
      .expect(200);
    await as(a)
      .put('/api/panels/availability', {
        timeZone: spec.timeZone ?? 'UTC',
        weeklyCap: spec.cap ?? 10,
        weekly: spec.weekly ?? ALL_DAY,
        overrides: [],
      })
      .expect(200);
    return a;
  }

  async function assessorPool(specs: AssessorSpec[]): Promise<TestUser[]> {
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    const pool: TestUser[] = [];
    for (const [i, spec] of specs.entries()) pool.push(await addAssessor(spec, `Assessor ${i + 1}`));
    return pool;
  }

  async function panelCandidate(): Promise<TestUser> {
    const c = await ctx.newUser('candidate', { fullName: 'Panel Candidate' });
    await ctx.passCpaaPortfolio(c.id, admin);
    return c;
  }

  async function firstSlots(c: TestUser, timeZone = 'UTC'): Promise<Array<{ start: string; end: string; localTime: string }>> {
    const body = (
      await as(c)
        .get(`/api/panels/me/slots?timeZone=${encodeURIComponent(timeZone)}`)
        .expect(200)
    ).body;
    // Slots within minutes of the 48-hour notice could pass it before the test books them.
    return body.days
      .flatMap((d: { slots: [] }) => d.slots)
      .filter((s: { start: string }) => Date.parse(s.start) - Date.now() > 48 * 3_600_000 + 10 * 60_000);
  }

  async function reminders(bookingId: string, status = 'scheduled') {
    return ctx.dataSource.query(
      `SELECT recipient_id, hours_before, run_at, outbox_id FROM panel_reminders WHERE booking_id = $1 AND status = $2 ORDER BY run_at, recipient_id`,
      [bookingId, status],
    );
  }

  function parseIcs(text: string) {
    const calendar = new ICAL.Component(ICAL.parse(text));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    return {
      method: calendar.getFirstPropertyValue('method'),
      uid: event.uid,
      sequence: event.sequence,
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      event,
    };
  }

  async function invitations(bookingId: string, sequence: number) {
    return ctx.dataSource.query(`SELECT recipient_id, method, ics FROM panel_invitations WHERE booking_id = $1 AND sequence = $2`, [
      bookingId,
      sequence,
    ]);
  }

  beforeAll(async () => {
    own = await OwnDatabase.use('panels');
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

  it('a passed CPAA portfolio opens the panel stage instead of issuing a certificate', async () => {
    const c = await panelCandidate();
    const me = (await as(c).get('/api/panels/me').expect(200)).body;
    expect(me).toMatchObject({ stage: 'awaiting_booking', changesLeft: 2, booking: null, decision: null, certificateNumber: null });
    const [events] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM credential_events WHERE user_id = $1`, [c.id]);
    expect(events.n).toBe(0);
    const other = await ctx.newUser('candidate');
    expect((await as(other).get('/api/panels/me').expect(200)).body.stage).toBe('not_eligible');
    await as(other).get('/api/panels/me/slots').expect(404);
    await as(other).post('/api/panels/me/booking', { start: new Date().toISOString(), timeZone: 'UTC' }).expect(404);
  }, 30_000);

  it('opens the panel stage once per passed CPAA portfolio, however often its outbox job is delivered', async () => {
    const c = await ctx.newUser('candidate');
    const submissionId = await ctx.passCpaaPortfolio(c.id, admin);
    // at-least-once delivery: the job may run again, and must not open a second interview or audit twice
    await worker.get(PanelStage).openForPassedPortfolio(submissionId, admin.id);
    const [interviews] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM panel_interviews WHERE submission_id = $1`, [
      submissionId,
    ]);
    expect(interviews.n).toBe(1);
    const [opened] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'panel.stage_opened' AND data->>'submissionId' = $1`,
      [submissionId],
    );
    expect(opened.n).toBe(1);
    expect((await as(c).get('/api/panels/me').expect(200)).body.stage).toBe('awaiting_booking');
    // a submission that is not a passed CPAA portfolio opens nothing
    const other = await ctx.newUser('candidate');
    await worker.get(PanelStage).openForPassedPortfolio('00000000-0000-4000-8000-000000000000', admin.id);
    expect((await as(other).get('/api/panels/me').expect(200)).body.stage).toBe('not_eligible');
  }, 30_000);

  it('refuses bad availability with a 400 that names the problem and changes nothing', async () => {
    const [a] = await assessorPool([{ chair: true, timeZone: 'Europe/Berlin' }]);
    const before = (await as(a).get('/api/panels/availability').expect(200)).body;
    const bad = [
      { timeZone: 'Mars/Olympus', weeklyCap: 3, weekly: [], overrides: [] },
      { timeZone: 'UTC', weeklyCap: 3, weekly: [{ weekday: 1, start: '17:00', end: '09:00' }], overrides: [] },
      { timeZone: 'UTC', weeklyCap: 3, weekly: [{ weekday: 8, start: '09:00', end: '17:00' }], overrides: [] },
      { timeZone: 'UTC', weeklyCap: 0, weekly: [], overrides: [] },
      { timeZone: 'UTC', weeklyCap: 3, weekly: [], overrides: [{ date: '2026-02-30x', windows: [] }] },
      { timeZone: 'UTC', weeklyCap: 3, weekly: [], overrides: [{ date: '2026-02-30', windows: [] }] },
      {
        timeZone: 'UTC',
        weeklyCap: 3,
        weekly: [],
        overrides: [
          { date: '2026-03-02', windows: [] },
          { date: '2026-03-02', windows: [] },
        ],
      },
      { timeZone: 'UTC', weeklyCap: 3, weekly: [], overrides: [], extra: true },
    ];
    for (const body of bad) {
      const res = await as(a).put('/api/panels/availability', body).expect(400);
      expect(res.body.message).toBeTruthy();
    }
    expect((await as(a).get('/api/panels/availability').expect(200)).body).toEqual(before);
    const notAssessor = await ctx.newUser('reviewer');
    await as(notAssessor).get('/api/panels/availability').expect(404);
    const candidate = await ctx.newUser('candidate');
    await as(candidate).get('/api/panels/availability').expect(403);
  }, 30_000);

  it('books a panel of three with a chair, sends parseable invitations and schedules reminders; a reschedule moves them, a cancel removes them', async () => {
    const pool = await assessorPool([
      { chair: true, timeZone: 'Europe/Berlin' },
      { timeZone: 'America/New_York' },
      { timeZone: 'Asia/Tokyo' },
    ]);
    const c = await panelCandidate();
    const listed = (await as(c).get('/api/panels/me/slots?timeZone=America/Los_Angeles').expect(200)).body;
    expect(listed.timeZone).toBe('America/Los_Angeles');
    const all = listed.days.flatMap((d: { slots: Array<{ start: string }> }) => d.slots);
    expect(Date.parse(all[0].start) - Date.now()).toBeGreaterThanOrEqual(48 * 3_600_000 - 5_000);
    expect(Date.parse(all[0].start) - Date.now()).toBeLessThan(48 * 3_600_000 + 30 * 60_000); // everyone is free all day: the first step after the notice
    expect(Date.parse(all.at(-1).start) - Date.now()).toBeLessThanOrEqual(28 * 86_400_000);
    await as(c).get('/api/panels/me/slots?timeZone=Nowhere/Special').expect(400);
    const slots = await firstSlots(c, 'America/Los_Angeles');

    const booked = (await as(c).post('/api/panels/me/booking', { start: slots[0].start, timeZone: 'America/Los_Angeles' }).expect(201))
      .body;
    expect(booked).toMatchObject({ stage: 'booked', timeZone: 'America/Los_Angeles', changesLeft: 2, canChange: true });
    const bookingId = booked.booking.id;
    const members = await ctx.dataSource.query(`SELECT assessor_id, is_chair FROM panel_members WHERE booking_id = $1 AND active`, [
      bookingId,
    ]);
    expect(members.map((m: { assessor_id: string }) => m.assessor_id).sort()).toEqual(pool.map((a) => a.id).sort());
    expect(members.filter((m: { is_chair: boolean }) => m.is_chair).map((m: { assessor_id: string }) => m.assessor_id)).toEqual([
      pool[0].id,
    ]);
    // the taken slot is no longer offered
    expect((await firstSlots(await panelCandidate())).map((s) => s.start)).not.toContain(slots[0].start);

    // invitations: METHOD:REQUEST, a stable UID, SEQUENCE 0, the booked times and the meeting link
    const uid = `${bookingId}@localhost`;
    const first = await invitations(bookingId, 0);
    expect(first).toHaveLength(4);
    for (const inv of first) {
      expect(parseIcs(inv.ics)).toMatchObject({ method: 'REQUEST', uid, sequence: 0, start: slots[0].start, end: slots[0].end });
      expect(parseIcs(inv.ics).event.location).toBe(`https://meet.jit.si/PSF-Panel-${bookingId}`);
    }
    const candidateCopy = parseIcs(first.find((i: { recipient_id: string }) => i.recipient_id === c.id).ics);
    expect(candidateCopy.event.attendees.map((a) => a.getFirstValue())).toEqual([`mailto:${c.email}`]); // assessors stay anonymous to the candidate
    const chairCopy = parseIcs(first.find((i: { recipient_id: string }) => i.recipient_id === pool[0].id).ics);
    expect(chairCopy.event.attendees.find((a) => a.getParameter('role') === 'CHAIR')?.getFirstValue()).toBe(`mailto:${pool[0].email}`);
    const download = await as(c).get('/api/panels/me/booking/invitation.ics').expect(200);
    expect(download.headers['content-type']).toMatch(/^text\/calendar/);
    expect(parseIcs(download.text)).toMatchObject({ method: 'REQUEST', uid, sequence: 0, start: slots[0].start });

    // the worker mails each invitation with the .ics attached
    const mailDir = ctx.app.get<AppConfig>(APP_CONFIG).mailDir;
    const mail = await eventually(async () => {
      const [n] = await ctx.dataSource.query(
        `SELECT stored_file FROM notifications WHERE dedupe_key LIKE 'panel-invitation:%' AND recipient = $1 AND sent_at IS NOT NULL`,
        [c.email],
      );
      return n?.stored_file ? readFile(path.join(mailDir, n.stored_file), 'utf8') : null;
    }, 'the invitation e-mail');
    expect(mail).toMatch(/Content-Type: text\/calendar; method=REQUEST/);

    // reminders 48 h and 1 h before, for the candidate and each assessor, delayed in BullMQ
    const scheduled = await reminders(bookingId);
    expect(scheduled).toHaveLength(8);
    const start = Date.parse(slots[0].start);
    expect(new Set(scheduled.map((r: { run_at: Date }) => start - r.run_at.getTime()))).toEqual(new Set([48 * 3_600_000, 3_600_000]));
    for (const r of scheduled) {
      const job = await eventually(() => queue().getJob(r.outbox_id), 'the delayed reminder job');
      expect(await job.getState()).toBe('delayed');
      expect(job.timestamp + (job.opts.delay ?? 0)).toBeGreaterThanOrEqual(r.run_at.getTime() - 5_000);
    }

    // reschedule: same UID, SEQUENCE 1, reminders moved to the new time
    const later = slots.find((s) => Date.parse(s.start) >= start + 3 * 86_400_000)!;
    const moved = (await as(c).put('/api/panels/me/booking', { start: later.start, timeZone: 'Europe/London' }).expect(200)).body;
    expect(moved).toMatchObject({ stage: 'booked', changesLeft: 1, booking: { id: bookingId, start: later.start, sequence: 1 } });
    const second = await invitations(bookingId, 1);
    expect(second).toHaveLength(4);
    for (const inv of second)
      expect(parseIcs(inv.ics)).toMatchObject({ method: 'REQUEST', uid, sequence: 1, start: later.start, end: later.end });
    const rescheduled = await reminders(bookingId);
    expect(rescheduled).toHaveLength(8);
    expect(new Set(rescheduled.map((r: { run_at: Date }) => Date.parse(later.start) - r.run_at.getTime()))).toEqual(
      new Set([48 * 3_600_000, 3_600_000]),
    );
    for (const old of scheduled) {
      await eventually(async () => !(await queue().getJob(old.outbox_id)), 'the old reminder job to be removed');
    }
    for (const r of rescheduled)
      expect(await (await eventually(() => queue().getJob(r.outbox_id), 'a moved reminder job')).getState()).toBe('delayed');

    // cancel: METHOD:CANCEL with the same UID and a higher SEQUENCE to everyone; every reminder job removed
    const cancelled = (await as(c).delete('/api/panels/me/booking').expect(200)).body;
    expect(cancelled).toMatchObject({ stage: 'awaiting_booking', changesLeft: 0 });
    const third = await invitations(bookingId, 2);
    expect(third).toHaveLength(4);
    for (const inv of third) expect(parseIcs(inv.ics)).toMatchObject({ method: 'CANCEL', uid, sequence: 2 });
    expect(await reminders(bookingId)).toHaveLength(0);
    for (const r of rescheduled)
      await eventually(async () => !(await queue().getJob(r.outbox_id)), 'the cancelled reminder job to be removed');
    // Removed jobs are owed no more: the reconciler must not take them for jobs Redis lost and publish them again.
    const settled = await eventually(async () => {
      const rows: Array<{ completed_at: Date | null }> = await ctx.dataSource.query(
        `SELECT completed_at FROM outbox WHERE id = ANY($1::uuid[])`,
        [[...scheduled, ...rescheduled].map((r: { outbox_id: string }) => r.outbox_id)],
      );
      return rows.every((row) => row.completed_at) && rows;
    }, 'the removed reminders settled in the outbox');
    expect(settled).toHaveLength(16);
    const [counts] = await ctx.dataSource.query(
      `SELECT count(*) FILTER (WHERE active)::int AS active FROM panel_members WHERE booking_id = $1`,
      [bookingId],
    );
    expect(counts.active).toBe(0);

    // two changes used: the candidate may book again but no longer move or cancel it
    const again = (await as(c).post('/api/panels/me/booking', { start: later.start, timeZone: 'UTC' }).expect(201)).body;
    expect(again).toMatchObject({ stage: 'booked', changesLeft: 0, canChange: false });
    const refused = await as(c).put('/api/panels/me/booking', { start: slots[0].start, timeZone: 'UTC' }).expect(409);
    expect(refused.body.message).toMatch(/used all 2 changes/);
    await as(c).delete('/api/panels/me/booking').expect(409);
    await as(c).post('/api/panels/me/booking', { start: slots[0].start, timeZone: 'UTC' }).expect(409);
  }, 90_000);

  it('refuses a change less than 24 hours before the interview, and bad booking input, without changing anything', async () => {
    await assessorPool([{ chair: true }, {}, {}]);
    const c = await panelCandidate();
    const [slot, other] = await firstSlots(c);
    await as(c).post('/api/panels/me/booking', { start: 'tomorrow', timeZone: 'UTC' }).expect(400);
    await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'Not/AZone' }).expect(400);
    await as(c)
      .post('/api/panels/me/booking', { start: new Date(Date.now() + 3_600_000).toISOString(), timeZone: 'UTC' })
      .expect(409); // inside the 48 h notice
    await as(c)
      .post('/api/panels/me/booking', { start: new Date(Date.parse(slot.start) + 60_000).toISOString(), timeZone: 'UTC' })
      .expect(409); // not a slot start
    expect((await as(c).get('/api/panels/me').expect(200)).body.stage).toBe('awaiting_booking');
    const booked = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body;
    await as(c).post('/api/panels/me/booking', { start: other.start, timeZone: 'UTC' }).expect(409);
    await ctx.dataSource.query(
      `UPDATE panel_bookings SET starts_at = now() + interval '23 hours', ends_at = now() + interval '24 hours 30 minutes' WHERE id = $1`,
      [booked.booking.id],
    );
    const late = await as(c).put('/api/panels/me/booking', { start: other.start, timeZone: 'UTC' }).expect(409);
    expect(late.body.message).toMatch(/less than 24 hours/);
    await as(c).delete('/api/panels/me/booking').expect(409);
    expect((await as(c).get('/api/panels/me').expect(200)).body).toMatchObject({ stage: 'booked', changesLeft: 2, canChange: false });

    // the certification body can still cancel it for them (illness, emergency) without using a change
    await as(c).post(`/api/admin/panels/bookings/${booked.booking.id}/cancel`, { reason: 'x' }).expect(403);
    await as(admin).post(`/api/admin/panels/bookings/${booked.booking.id}/cancel`, { reason: ' ' }).expect(400);
    const cancelled = (
      await as(admin).post(`/api/admin/panels/bookings/${booked.booking.id}/cancel`, { reason: 'Candidate in hospital' }).expect(200)
    ).body;
    expect(cancelled).toMatchObject({
      id: booked.booking.id,
      status: 'cancelled',
      closeReason: 'cancelled by the certification body: Candidate in hospital',
    });
    // The bookings list finds it by the candidate's name and its status, a page at a time; the CSV holds the same rows.
    const found = (
      await as(admin).get(`/api/admin/panels/bookings`).query({ query: cancelled.candidateName, status: 'cancelled' }).expect(200)
    ).body;
    expect(found.items.map((b: { id: string }) => b.id)).toContain(booked.booking.id);
    expect(found).toMatchObject({ page: 1, pageSize: 50, total: found.items.length });
    expect(
      (
        await as(admin).get(`/api/admin/panels/bookings`).query({ status: 'booked', query: cancelled.candidateName }).expect(200)
      ).body.items.map((b: { id: string }) => b.id),
    ).not.toContain(booked.booking.id);
    const csv = await as(admin)
      .get(`/api/admin/panels/bookings/export.csv`)
      .query({ query: cancelled.candidateName, status: 'cancelled' })
      .expect(200);
    expect(csv.text.split('\r\n')[0]).toBe('id,candidate,starts_at,ends_at,status,panel,close_reason');
    expect(csv.text).toContain(`${booked.booking.id},${cancelled.candidateName},`);
    await as(admin).get(`/api/admin/panels/bookings`).query({ status: 'lost' }).expect(400);
    await as(admin).get(`/api/admin/panels/bookings`).query({ from: '2026-02-30' }).expect(400);
    expect((await as(c).get('/api/panels/me').expect(200)).body).toMatchObject({ stage: 'awaiting_booking', changesLeft: 2 });
    expect((await invitations(booked.booking.id, 1)).every((i: { method: string }) => i.method === 'CANCEL')).toBe(true);
    await as(admin).post(`/api/admin/panels/bookings/${booked.booking.id}/cancel`, { reason: 'again' }).expect(409);
  }, 30_000);

  it('20 candidates booking the last free panel for one slot at the same moment get one booking and 19 conflicts; no assessor is double-booked', async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}]);
    const candidates = await Promise.all(Array.from({ length: 20 }, () => panelCandidate()));
    const [slot] = await firstSlots(candidates[0]);
    const results = await Promise.all(candidates.map((c) => as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.message).toMatch(/no longer available/);
    const [bookings] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM panel_bookings b JOIN panel_interviews iv ON iv.id = b.interview_id WHERE b.status = 'booked' AND iv.candidate_id = ANY($1::uuid[])`,
      [candidates.map((c) => c.id)],
    );
    expect(bookings.n).toBe(1);
    for (const a of pool) {
      const [m] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM panel_members WHERE assessor_id = $1 AND active`, [a.id]);
      expect(m.n).toBe(1);
    }
    // the database itself refuses an overlapping membership (exclusion constraint), whatever the code does
    const [b] = await ctx.dataSource.query(`SELECT booking_id FROM panel_members WHERE assessor_id = $1 AND active`, [pool[0].id]);
    const [copy] = await ctx.dataSource.query(
      `INSERT INTO panel_bookings (interview_id, starts_at, ends_at, meeting_url, status)
       SELECT interview_id, starts_at, ends_at, meeting_url, 'completed' FROM panel_bookings WHERE id = $1 RETURNING id`,
      [b.booking_id],
    );
    await expect(
      ctx.dataSource.query(
        `INSERT INTO panel_members (booking_id, assessor_id, is_chair, busy) SELECT $1, assessor_id, false, busy FROM panel_members WHERE booking_id = $2 AND assessor_id = $3`,
        [copy.id, b.booking_id, pool[0].id],
      ),
    ).rejects.toMatchObject({ code: '23P01' });
    // the same candidate booking twice at once also ends with one booking
    const solo = await panelCandidate();
    const [s2] = (await firstSlots(solo)).filter((s) => Date.parse(s.start) >= Date.parse(slot.start) + 86_400_000);
    const twice = await Promise.all(
      Array.from({ length: 5 }, () => as(solo).post('/api/panels/me/booking', { start: s2.start, timeZone: 'UTC' })),
    );
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  }, 60_000);

  it('replaces an assessor who drops out, keeping a chair; when no one is free the booking is cancelled and the candidate asked to rebook', async () => {
    const [chairA, chairB, memberC] = await assessorPool([{ chair: true }, { chair: true }, {}]);
    const c = await panelCandidate();
    const [slot] = await firstSlots(c);
    const bookingId = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
    const active = async (): Promise<Array<{ assessor_id: string; is_chair: boolean }>> =>
      ctx.dataSource.query(`SELECT assessor_id, is_chair FROM panel_members WHERE booking_id = $1 AND active ORDER BY assessor_id`, [
        bookingId,
      ]);
    const chairOf = async () => (await active()).find((m) => m.is_chair)!.assessor_id;
    const byId = (id: string) => [chairA, chairB].find((a) => a.id === id)!;
    const sitting = byId(await chairOf());
    const other = sitting === chairA ? chairB : chairA;
    const spareD = await addAssessor({}, 'Assessor D');
    await as(sitting).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: '' }).expect(400);
    await as(spareD).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: 'not mine' }).expect(404);

    // the chair leaves: the other chair-capable member takes the chair, D fills the place
    expect(
      (await as(sitting).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: 'Family emergency' }).expect(200)).body,
    ).toEqual({ outcome: 'replaced' });
    expect(await active()).toEqual(
      [
        { assessor_id: other.id, is_chair: true },
        { assessor_id: memberC.id, is_chair: false },
        { assessor_id: spareD.id, is_chair: false },
      ].sort((x, y) => x.assessor_id.localeCompare(y.assessor_id)),
    );
    const seq1 = await invitations(bookingId, 1);
    expect(seq1.find((i: { recipient_id: string }) => i.recipient_id === sitting.id)?.method).toBe('CANCEL');
    expect(
      seq1
        .filter((i: { method: string }) => i.method === 'REQUEST')
        .map((i: { recipient_id: string }) => i.recipient_id)
        .sort(),
    ).toEqual([other.id, memberC.id, spareD.id].sort());
    expect((await reminders(bookingId)).some((r: { recipient_id: string }) => r.recipient_id === sitting.id)).toBe(false);
    expect((await reminders(bookingId)).filter((r: { recipient_id: string }) => r.recipient_id === spareD.id)).toHaveLength(2);
    await as(sitting).get(`/api/panels/assignments/${bookingId}`).expect(404);

    // the new chair leaves and no member can chair: only a chair may replace them
    const memberE = await addAssessor({}, 'Assessor E');
    const chairF = await addAssessor({ chair: true }, 'Assessor F');
    expect((await as(other).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: 'Ill' }).expect(200)).body).toEqual({
      outcome: 'replaced',
    });
    const afterSecond = await active();
    expect(afterSecond.find((m) => m.is_chair)?.assessor_id).toBe(chairF.id);
    expect(afterSecond.map((m) => m.assessor_id)).not.toContain(memberE.id);

    // a member leaves and everyone free is already on the panel or has left it: cancelled, the candidate rebooks
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false WHERE user_id = $1`, [memberE.id]);
    expect(
      (await as(memberC).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: 'Conflict discovered' }).expect(200)).body,
    ).toEqual({ outcome: 'cancelled' });
    expect((await as(c).get('/api/panels/me').expect(200)).body).toMatchObject({ stage: 'awaiting_booking', changesLeft: 2 });
    const cancels = await invitations(bookingId, 3);
    expect(cancels.every((i: { method: string }) => i.method === 'CANCEL')).toBe(true);
    expect(cancels.map((i: { recipient_id: string }) => i.recipient_id).sort()).toEqual([c.id, spareD.id, chairF.id].sort());
    expect(await reminders(bookingId)).toHaveLength(0);
    await eventually(async () => {
      const [n] = await ctx.dataSource.query(
        `SELECT 1 FROM notifications WHERE recipient = $1 AND template = 'panel-rebook' AND sent_at IS NOT NULL`,
        [c.email],
      );
      return n;
    }, 'the rebook e-mail');
  }, 60_000);

  it('assessors score independently; the chair records the two-of-three decision and a pass issues the CPAA certificate', async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}]);
    const c = await panelCandidate();
    const [slot] = await firstSlots(c);
    const bookingId = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
    const [chair, second, third] = pool;
    const sheet = (scores: number[]) => ({
      domains: DOMAINS.map((domain, i) => ({ domain, score: scores[i], notes: `Notes on ${domain}` })),
    });

    const upcoming = (await as(second).get('/api/panels/assignments').expect(200)).body;
    expect(upcoming.map((p: { bookingId: string }) => p.bookingId)).toContain(bookingId);
    const detail = (await as(second).get(`/api/panels/assignments/${bookingId}`).expect(200)).body;
    expect(detail).toMatchObject({ candidateName: 'Panel Candidate', scoringOpen: false, isChair: false });
    expect(detail.evidence.map((e: { criterion: string }) => e.criterion)).toEqual(['D01.1', 'D08.5']);
    await as(second)
      .put(`/api/panels/assignments/${bookingId}/scores`, sheet([2, 2, 2, 2, 2, 2, 2, 2]))
      .expect(409); // not started yet
    const stranger = await ctx.newUser('reviewer');
    await as(stranger).get(`/api/panels/assignments/${bookingId}`).expect(404);
    await as(c).get(`/api/panels/assignments/${bookingId}`).expect(403);

    // the interview has taken place
    await ctx.dataSource.query(
      `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
      [bookingId],
    );
    await as(second)
      .put(`/api/panels/assignments/${bookingId}/scores`, { domains: sheet([2, 2, 2, 2, 2, 2, 2, 2]).domains.slice(0, 7) })
      .expect(400);
    await as(second)
      .put(`/api/panels/assignments/${bookingId}/scores`, sheet([2, 2, 2, 2, 2, 2, 2, 4]))
      .expect(400);
    await as(second)
      .put(`/api/panels/assignments/${bookingId}/scores`, {
        domains: [...sheet([2, 2, 2, 2, 2, 2, 2]).domains, { domain: 'D01', score: 2, notes: '' }],
      })
      .expect(400);
    const [none] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM panel_scores WHERE booking_id = $1`, [bookingId]);
    expect(none.n).toBe(0);

    const afterSecond = (
      await as(second)
        .put(`/api/panels/assignments/${bookingId}/scores`, sheet([2, 2, 2, 2, 2, 2, 2, 1]))
        .expect(200)
    ).body;
    expect(afterSecond.otherScores).toEqual([]); // nobody else has scored yet
    expect((await as(third).get(`/api/panels/assignments/${bookingId}`).expect(200)).body.otherScores).toEqual([]); // cannot see before submitting
    await as(second)
      .put(`/api/panels/assignments/${bookingId}/scores`, sheet([3, 3, 3, 3, 3, 3, 3, 3]))
      .expect(409);
    const afterThird = (
      await as(third)
        .put(`/api/panels/assignments/${bookingId}/scores`, sheet([1, 2, 2, 2, 2, 2, 2, 2]))
        .expect(200)
    ).body;
    expect(afterThird.otherScores.map((s: { assessorId: string }) => s.assessorId)).toEqual([second.id]);
    await as(second).post(`/api/panels/assignments/${bookingId}/decision`, { note: 'not the chair' }).expect(403);
    await as(chair).post(`/api/panels/assignments/${bookingId}/decision`, { note: 'too early' }).expect(409);
    await as(chair)
      .put(`/api/panels/assignments/${bookingId}/scores`, sheet([2, 2, 2, 2, 2, 2, 2, 2]))
      .expect(200);
    const decided = (
      await as(chair)
        .post(`/api/panels/assignments/${bookingId}/decision`, { note: 'Clear, first-hand evidence in every domain.' })
        .expect(200)
    ).body;
    expect(decided.decision.outcome).toBe('pass');
    expect(decided.decision.domains.map((d: { votes: number }) => d.votes)).toEqual([2, 3, 3, 3, 3, 3, 3, 2]);
    await as(chair).post(`/api/panels/assignments/${bookingId}/decision`, { note: 'again' }).expect(409);

    const me = await eventually(async () => {
      const body = (await as(c).get('/api/panels/me').expect(200)).body;
      return body.certificateNumber ? body : null;
    }, 'the CPAA certificate');
    expect(me).toMatchObject({ stage: 'decided', decision: { outcome: 'pass', route: 'panel' } });
    const certificates = (await as(c).get('/api/certificates').expect(200)).body;
    expect(certificates.map((x: { credential: { code: string } }) => x.credential.code)).toEqual(['CPAA']);
    const audit = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id IN ($1, $2) ORDER BY id`, [
      bookingId,
      me.interviewId,
    ]);
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['panel.booked', 'panel.scored', 'panel.decided']),
    );
  }, 60_000);

  it("keeps an assessor's score sheet in progress on the server for that assessor only, until the scores are submitted", async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}]);
    const c = await panelCandidate();
    const [slot] = await firstSlots(c);
    const bookingId = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
    const [chair, second, third] = pool;
    const draftUrl = `/api/panels/assignments/${bookingId}/draft`;
    const partial = {
      domains: [
        { domain: 'D01', score: 2, notes: 'Tokenisation before the model, misses caught by sampling.' },
        { domain: 'D02', score: null, notes: '' },
      ],
    };

    await as(second).put(draftUrl, partial).expect(409); // the interview has not started
    await ctx.dataSource.query(
      `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
      [bookingId],
    );
    await as(second).get(draftUrl).expect(404); // nothing saved yet

    // A bad body changes nothing: unknown domains, repeats, scores off the scale, oversized notes, unknown fields.
    for (const bad of [
      { domains: [{ domain: 'D09', score: 1, notes: '' }] },
      { domains: [{ domain: 'D01', score: 4, notes: '' }] },
      { domains: [{ domain: 'D01', score: 1.5, notes: '' }] },
      { domains: [{ domain: 'D01', score: 1, notes: 'x'.repeat(4001) }] },
      { domains: [partial.domains[0], partial.domains[0]] },
      { domains: Array.from({ length: 9 }, () => ({ domain: 'D01', score: null, notes: '' })) },
      { domains: [], extra: true },
    ]) {
      await as(second).put(draftUrl, bad).expect(400);
    }
    await as(second).get(draftUrl).expect(404);

    const saved = (await as(second).put(draftUrl, partial).expect(200)).body;
    expect(saved).toEqual({ ...partial, updatedAt: expect.any(String) });
    // another device (another sign-in) finds it
    const elsewhere = await ctx.signIn(second);
    expect((await as(elsewhere).get(draftUrl).expect(200)).body).toEqual(saved);
    // it is the assessor's own: a panel colleague has none, a stranger and the candidate cannot reach it
    await as(third).get(draftUrl).expect(404);
    const stranger = await ctx.newUser('reviewer');
    await as(stranger).get(draftUrl).expect(404);
    await as(stranger).put(draftUrl, partial).expect(404);
    await as(c).get(draftUrl).expect(403);

    const replaced = { domains: [{ domain: 'D02', score: 1, notes: 'Model choice not evaluated against the task.' }] };
    expect((await as(second).put(draftUrl, replaced).expect(200)).body.domains).toEqual(replaced.domains);
    expect((await as(second).get(draftUrl).expect(200)).body.domains).toEqual(replaced.domains);

    // submitting the scores discards the draft; the sheet is then final
    const sheet = { domains: DOMAINS.map((domain) => ({ domain, score: 2, notes: '' })) };
    await as(second).put(`/api/panels/assignments/${bookingId}/scores`, sheet).expect(200);
    await as(second).get(draftUrl).expect(404);
    await as(second).put(draftUrl, partial).expect(409);

    // once the chair closes the booking (here a candidate no-show), nobody's draft is kept or accepted
    await as(third).put(draftUrl, partial).expect(200);
    await as(chair).post(`/api/panels/assignments/${bookingId}/no-show`, { party: 'candidate', note: 'Did not join' }).expect(200);
    await as(third).get(draftUrl).expect(409);
    await as(third).put(draftUrl, partial).expect(409);
    const [kept] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM panel_score_drafts WHERE booking_id = $1`, [bookingId]);
    expect(kept.n).toBe(0);
  }, 60_000);

  it("drops an assessor's sheet in progress when they leave the panel, and everyone's when the booking is cancelled", async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}, {}]);
    const c = await panelCandidate();
    const [slot] = await firstSlots(c);
    const bookingId = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
    const seated: Array<{ assessor_id: string; is_chair: boolean }> = await ctx.dataSource.query(
      `SELECT assessor_id, is_chair FROM panel_members WHERE booking_id = $1 AND active ORDER BY is_chair DESC, assessor_id`,
      [bookingId],
    );
    const [chair, leaving, staying] = seated.map((m) => pool.find((a) => a.id === m.assessor_id)!);
    const draftUrl = `/api/panels/assignments/${bookingId}/draft`;
    const notes = { domains: [{ domain: 'D01', score: 1, notes: 'Hesitant on how the evaluation set was sampled.' }] };
    const drafts = async (): Promise<string[]> =>
      (
        await ctx.dataSource.query(`SELECT assessor_id FROM panel_score_drafts WHERE booking_id = $1 ORDER BY assessor_id`, [bookingId])
      ).map((r: { assessor_id: string }) => r.assessor_id);

    // Sheets are saved once the interview has started, and seats are left before it: the start is moved back to
    // where it was booked so that leaving meets saved sheets (as a clock set back, or a later change to the rules, would).
    const { starts_at: startsAt, ends_at: endsAt } = (
      await ctx.dataSource.query(`SELECT starts_at, ends_at FROM panel_bookings WHERE id = $1`, [bookingId])
    )[0];
    await ctx.dataSource.query(
      `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
      [bookingId],
    );
    for (const assessor of [chair, leaving, staying]) await as(assessor).put(draftUrl, notes).expect(200);
    expect(await drafts()).toEqual([chair.id, leaving.id, staying.id].sort());
    await ctx.dataSource.query(`UPDATE panel_bookings SET starts_at = $2, ends_at = $3 WHERE id = $1`, [bookingId, startsAt, endsAt]);

    // the one who withdraws loses their notes with the seat; the others keep theirs
    expect((await as(leaving).post(`/api/panels/assignments/${bookingId}/withdraw`, { reason: 'Moved abroad' }).expect(200)).body).toEqual({
      outcome: 'replaced',
    });
    expect(await drafts()).toEqual([chair.id, staying.id].sort());
    await as(leaving).get(draftUrl).expect(404);

    // the certification body cancels the booking: nobody's notes on the candidate are kept
    await as(admin).post(`/api/admin/panels/bookings/${bookingId}/cancel`, { reason: 'Venue unavailable' }).expect(200);
    expect(await drafts()).toEqual([]);
    await as(staying).get(draftUrl).expect(404);
  }, 60_000);

  it('refuses the panel actions of anyone tied to the case: a chair the candidate declared conflicted, an admin seated on the panel (403 not_independent, nothing changes)', async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}]);
    const c = await panelCandidate();
    const [slot] = await firstSlots(c);
    const bookingId = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
    const [chair, second] = pool;

    // A conflict found after booking: the candidate names the chair, an administrator confirms it.
    const declared = await as(c)
      .post('/api/portfolios/CPAA/conflicts', { kind: 'person', email: chair.email, reason: 'My line manager until last year' })
      .expect(201);
    await as(admin).post(`/api/admin/conflicts/${declared.body.id}/confirm`, { note: 'Confirmed with the employer' }).expect(200);

    // An assessor on this panel who is also an administrator may not cancel it.
    await as(admin)
      .put(`/api/admin/users/${second.id}/roles`, { roles: ['reviewer', 'admin'] })
      .expect(200);
    await ctx.signIn(second);
    const cancel = await as(second).post(`/api/admin/panels/bookings/${bookingId}/cancel`, { reason: 'my own panel' }).expect(403);
    expect(cancel.body.reason).toBe('not_independent');

    await ctx.dataSource.query(
      `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
      [bookingId],
    );
    for (const [action, body] of [
      ['decision', { note: 'as the chair' }],
      ['no-show', { party: 'candidate', note: 'as the chair' }],
    ] as const) {
      const refused = await as(chair).post(`/api/panels/assignments/${bookingId}/${action}`, body).expect(403);
      expect(refused.body.reason).toBe('not_independent');
    }
    const [booking] = await ctx.dataSource.query(`SELECT status FROM panel_bookings WHERE id = $1`, [bookingId]);
    expect(booking.status).toBe('booked');
    const [decisions] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE subject_id = $1 AND action IN ('panel.decided', 'panel.no_show', 'panel.cancelled')`,
      [bookingId],
    );
    expect(decisions.n).toBe(0);
  }, 60_000);

  it('fails a domain with one "met" vote, and records a candidate no-show as the settings say', async () => {
    const pool = await assessorPool([{ chair: true }, {}, {}]);
    const sheet = (score8: number) => ({ domains: DOMAINS.map((domain) => ({ domain, score: domain === 'D08' ? score8 : 2, notes: '' })) });
    const sit = async (c: TestUser, dayOffset: number) => {
      const slots = await firstSlots(c);
      const slot = slots.find((s) => Date.parse(s.start) >= Date.parse(slots[0].start) + dayOffset * 86_400_000)!;
      const id = (await as(c).post('/api/panels/me/booking', { start: slot.start, timeZone: 'UTC' }).expect(201)).body.booking.id;
      await ctx.dataSource.query(
        `UPDATE panel_bookings SET starts_at = now() - interval '100 minutes', ends_at = now() - interval '10 minutes' WHERE id = $1`,
        [id],
      );
      return id;
    };
    const failing = await panelCandidate();
    const b1 = await sit(failing, 0);
    await as(pool[0]).put(`/api/panels/assignments/${b1}/scores`, sheet(1)).expect(200);
    await as(pool[1]).put(`/api/panels/assignments/${b1}/scores`, sheet(1)).expect(200);
    await as(pool[2]).put(`/api/panels/assignments/${b1}/scores`, sheet(3)).expect(200);
    const decided = (await as(pool[0]).post(`/api/panels/assignments/${b1}/decision`, { note: 'D08 not evidenced' }).expect(200)).body;
    expect(decided.decision.outcome).toBe('fail');
    expect((await as(failing).get('/api/panels/me').expect(200)).body).toMatchObject({
      stage: 'decided',
      decision: { outcome: 'fail' },
      certificateNumber: null,
    });

    const absent = await panelCandidate();
    const b2 = await sit(absent, 1);
    await as(pool[1]).post(`/api/panels/assignments/${b2}/no-show`, { party: 'candidate', note: 'Did not join' }).expect(403);
    await as(pool[0])
      .post(`/api/panels/assignments/${b2}/no-show`, { party: 'candidate', note: 'Did not join within 20 minutes' })
      .expect(200);
    expect((await as(absent).get('/api/panels/me').expect(200)).body).toMatchObject({
      stage: 'decided',
      decision: { outcome: 'fail', route: 'no_show' },
    });

    await as(admin)
      .put('/api/admin/panels/settings', {
        ...(await as(admin).get('/api/admin/panels/settings').expect(200)).body,
        candidateNoShow: 'rebook',
      })
      .expect(200);
    try {
      const second = await panelCandidate();
      const b3 = await sit(second, 2);
      await as(pool[0]).post(`/api/panels/assignments/${b3}/no-show`, { party: 'candidate', note: 'Did not join' }).expect(200);
      expect((await as(second).get('/api/panels/me').expect(200)).body).toMatchObject({
        stage: 'awaiting_booking',
        changesLeft: 1,
        decision: null,
      });
      const third = await panelCandidate();
      const b4 = await sit(third, 3);
      await as(pool[0])
        .post(`/api/panels/assignments/${b4}/no-show`, { party: 'assessor', assessorId: pool[0].id, note: 'me' })
        .expect(400);
      await as(pool[0])
        .post(`/api/panels/assignments/${b4}/no-show`, { party: 'assessor', assessorId: pool[2].id, note: 'Assessor 3 absent' })
        .expect(200);
      expect((await as(third).get('/api/panels/me').expect(200)).body).toMatchObject({ stage: 'awaiting_booking', changesLeft: 2 });
    } finally {
      await as(admin)
        .put('/api/admin/panels/settings', {
          ...(await as(admin).get('/api/admin/panels/settings').expect(200)).body,
          candidateNoShow: 'fail',
        })
        .expect(200);
    }
  }, 60_000);

  it('refuses a settings save made from an out-of-date copy, and changes nothing', async () => {
    const admin = await ctx.newAdmin();
    const opened = (await as(admin).get('/api/admin/panels/settings').expect(200)).body;
    expect(opened.revision).toEqual(expect.any(String));
    const saved = (
      await as(admin)
        .put('/api/admin/panels/settings', { ...opened, horizonDays: opened.horizonDays + 1 })
        .expect(200)
    ).body;
    expect(saved.revision).not.toBe(opened.revision);
    const stale = await as(admin)
      .put('/api/admin/panels/settings', { ...opened, minNoticeHours: opened.minNoticeHours + 1 })
      .expect(409);
    expect(stale.body).toMatchObject({ reason: 'stale_settings' });
    expect(stale.body.message).toContain(`booked up to ${opened.horizonDays + 1} days ahead`);
    expect((await as(admin).get('/api/admin/panels/settings').expect(200)).body).toEqual(saved);
    await as(admin)
      .put('/api/admin/panels/settings', { ...saved, horizonDays: opened.horizonDays })
      .expect(200);
  });
});
