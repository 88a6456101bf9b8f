import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import * as path from 'node:path';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { BankSyncService } from '../question-bank/bank-sync.service';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];
const DAY_MS = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The administrator dashboard (issue #18 item 3) over data made through the real flows — registration,
 * AIDA attempts, a CPAP portfolio reviewed by two reviewers through the worker, certificates issued by
 * the worker and suspended by an administrator — in a database of its own, so every figure is exact.
 */
describe('administrator dashboard: key figures over a period (real PostgreSQL, Redis and worker)', () => {
  let ctx: TestContext;
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  let passer: TestUser;
  const today = isoDay(new Date());
  const tag = Date.now().toString(36);
  const as = (u: TestUser) => ctx.as(u);
  const dashboard = async (query = '') => (await as(admin).get(`/api/admin/dashboard${query}`).expect(200)).body;

  async function keyOf(questionId: string): Promise<string> {
    const [row] = await ctx.dataSource.query(
      `SELECT q.options, v.content->'options' AS vo FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
      [questionId],
    );
    const key = row.vo.find((o: { key: boolean }) => o.key).id;
    return row.options.find((o: { source: string }) => o.source === key).id;
  }

  /** Sits AIDA through the exam API: answers every question right (pass, 100 %), none (fail, 0 %), or leaves it running. */
  async function sitAida(user: TestUser, how: 'pass' | 'blank' | 'leave'): Promise<void> {
    const attempt = (await as(user).post('/api/exams/aida/attempts').expect(201)).body;
    if (how === 'leave') return;
    if (how === 'pass') {
      for (const q of attempt.questions)
        await as(user)
          .put(`/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { optionId: await keyOf(q.id) })
          .expect(200);
    }
    const result = (await as(user).post(`/api/exams/aida/attempts/${attempt.id}/submit`).expect(200)).body.result;
    expect(result.passed).toBe(how === 'pass');
  }

  /** A CPAP portfolio written and submitted through the API, reviewed (pass) by two reviewers who accept their offers. */
  async function cpapPassedByReview(candidate: TestUser, reviewers: TestUser[]): Promise<string> {
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await as(candidate)
      .put('/api/portfolios/CPAP/context', { system: 'S', organisation: 'Cand Org', modelsUsed: 'M', usersAffected: 'U', riskLevel: 'low' })
      .expect(200);
    for (const e of draft.evidence as Array<{ criterion: string }>)
      await as(candidate)
        .put(`/api/portfolios/CPAP/evidence/${e.criterion}`, { narrative: `Evidence ${e.criterion}` })
        .expect(200);
    const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id as string;
    const offers = await eventually(async () => {
      const found: Array<{ r: TestUser; id: string }> = [];
      for (const r of reviewers)
        for (const a of (await as(r).get('/api/reviews/assignments').expect(200)).body)
          if (a.submissionId === submissionId && a.status === 'offered') found.push({ r, id: a.id });
      return found.length === 2 ? found : null;
    }, 'two review offers');
    const review = {
      criterionScores: draft.evidence.map((e: { criterion: string }) => ({ criterion: e.criterion, score: 3 })),
      domainJudgements: CPAP_DOMAINS.map((domain) => ({ domain, met: true })),
      recommendation: 'pass',
    };
    for (const o of offers) {
      await as(o.r).post(`/api/reviews/assignments/${o.id}/accept`).expect(200);
      await as(o.r).post(`/api/reviews/assignments/${o.id}/review`, review).expect(201);
    }
    await eventually(
      async () =>
        (await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200)).body.decision?.outcome === 'pass',
      'the decision',
    );
    return submissionId;
  }

  beforeAll(async () => {
    own = await OwnDatabase.use('dashboard');
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
    admin = await ctx.newAdmin();

    const reviewers: TestUser[] = [];
    for (const n of [1, 2]) {
      // Addresses at different domains: a shared domain is an automatic conflict of interest.
      const r = await ctx.newUser('reviewer', { email: `r${n}-${tag}@rev${n}-${tag}.example` });
      await as(r)
        .put('/api/reviews/profile', { organisation: `Rev Org ${n}`, expertise: CPAP_DOMAINS, maxConcurrent: 5, away: [] })
        .expect(200);
      reviewers.push(r);
    }
    passer = await ctx.newUser('candidate', { email: `p-${tag}@cand-${tag}.example` });
    const failer = await ctx.newCandidate();
    const starter = await ctx.newCandidate();
    await sitAida(passer, 'pass');
    await sitAida(failer, 'blank');
    await sitAida(starter, 'leave');
    await cpapPassedByReview(passer, reviewers);
    // The worker issues both certificates (AIDA from the attempt, CPAP from the decision).
    const certificates = await eventually(async () => {
      const list = (await as(passer).get('/api/certificates').expect(200)).body;
      return list.length === 2 ? list : null;
    }, 'two certificates');
    const aida = certificates.find((c: { credential: { code: string } }) => c.credential.code === 'AIDA');
    await as(admin).post(`/api/admin/certificates/${aida.number}/suspend`, { reason: 'Under investigation' }).expect(200);
  }, 120_000);

  afterAll(async () => {
    await worker?.get(OutboxRelay).stop();
    await worker?.get(JobWorker).stop();
    await worker?.close();
    await ctx?.close();
    await own?.release();
  });

  it('is for administrators only', async () => {
    await ctx.http.get('/api/admin/dashboard').expect(401);
    await as(passer).get('/api/admin/dashboard').expect(403);
  });

  it('defaults to the last 30 days ending today (UTC)', async () => {
    const body = await dashboard();
    expect(body.period).toEqual({ from: isoDay(new Date(Date.parse(today) - 29 * DAY_MS)), to: today, days: 30 });
    expect(body.attempts.perDay).toHaveLength(30);
    expect(body.attempts.perDay.at(-1)).toEqual({ day: today, started: 3, submitted: 2, passed: 1 });
  });

  it('counts candidates registered, AIDA attempts, pass rate and scores in the period', async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    // Three candidates; the administrator and the reviewers are not candidates.
    expect(body.candidates).toEqual({ registered: 3 });
    expect(body.attempts).toMatchObject({ started: 3, submitted: 2, passed: 1, failed: 1, passRate: 0.5 });
    expect(body.attempts.perDay).toEqual([{ day: today, started: 3, submitted: 2, passed: 1 }]);
    const counts = body.attempts.scoreDistribution.map((b: { label: string; count: number }) => [b.label, b.count]);
    expect(counts).toEqual([
      ['0–9', 1],
      ['10–19', 0],
      ['20–29', 0],
      ['30–39', 0],
      ['40–49', 0],
      ['50–59', 0],
      ['60–69', 0],
      ['70–79', 0],
      ['80–89', 0],
      ['90–100', 1],
    ]);
  });

  it('shows portfolios by the stages of the pipeline board, with the same counts as the board', async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    expect(body.portfolios.byStage).toEqual([
      { stage: 'in review', count: 0 },
      { stage: 'adjudication', count: 0 },
      { stage: 'decided: pass', count: 1 },
      { stage: 'decided: revise', count: 0 },
      { stage: 'decided: fail', count: 0 },
    ]);
    const board: Array<{ stage: string }> = (await as(admin).get('/api/admin/submissions').expect(200)).body;
    expect(body.portfolios.total).toBe(board.length);
    for (const { stage, count } of body.portfolios.byStage) expect(board.filter((r) => r.stage === stage)).toHaveLength(count);
  });

  it("gives review turnaround's median and 90th percentile from offer to submitted review, and none overdue", async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    // PostgreSQL's own percentile_cont over the same rows: an independent reading of the figure.
    const [expected] = await ctx.dataSource.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90
       FROM (SELECT extract(epoch FROM r.submitted_at - a.offered_at) / 86400.0 AS d FROM reviews r JOIN review_assignments a ON a.id = r.assignment_id) x`,
    );
    expect(body.portfolios.reviewTurnaround).toEqual({
      completed: 2,
      medianDays: Math.round(Number(expected.median) * 10) / 10,
      p90Days: Math.round(Number(expected.p90) * 10) / 10,
      overdueNow: 0,
    });
  });

  it('counts certificates issued in the period and the register now by status', async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    const expiringBefore = isoDay(new Date(Date.parse(today) + 90 * DAY_MS));
    expect(body.certificates).toEqual({ issued: 2, active: 1, expired: 0, suspended: 1, revoked: 0, expiring: 0, expiringBefore });
  });

  it('counts active certificates expiring before `to` + 90 days (exclusive), not suspended ones', async () => {
    const [active] = (await as(passer).get('/api/certificates').expect(200)).body.filter((c: { status: string }) => c.status === 'active');
    const expiry = new Date(active.expiresAt);
    // `to` + 90 days is the day after the expiry's day: included. A day earlier the bound is the expiry's day, 00:00Z: left out.
    // (The suspended AIDA certificate expires no later, so it would count if suspension were ignored.)
    const after = isoDay(new Date(Date.parse(isoDay(expiry)) - 89 * DAY_MS));
    const before = isoDay(new Date(Date.parse(isoDay(expiry)) - 90 * DAY_MS));
    const inside = (await dashboard(`?from=${after}&to=${after}`)).certificates;
    expect(inside).toMatchObject({ issued: 0, expiring: 1 });
    expect(inside.expiringBefore).toBe(isoDay(new Date(Date.parse(isoDay(expiry)) + DAY_MS)));
    const outside = (await dashboard(`?from=${before}&to=${before}`)).certificates;
    expect(outside.expiring).toBe(0);
  });

  it('counts what the lists behind the figures list, with the same filters (people, attempts, certificates)', async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    const total = async (url: string) => (await as(admin).get(url).expect(200)).body.total as number;
    const { from, to } = body.period;
    expect(await total(`/api/admin/users?role=candidate&createdFrom=${from}&createdTo=${to}`)).toBe(body.candidates.registered);
    expect(await total(`/api/admin/exams/aida/attempts?from=${from}&to=${to}`)).toBe(body.attempts.started);
    expect(await total(`/api/admin/exams/aida/attempts?from=${from}&to=${to}&result=passed`)).toBe(body.attempts.passed);
    expect(await total(`/api/admin/exams/aida/attempts?from=${from}&to=${to}&result=failed`)).toBe(body.attempts.failed);
    expect(await total(`/api/admin/certificates?issuedFrom=${from}&issuedTo=${to}`)).toBe(body.certificates.issued);
    for (const status of ['active', 'expired', 'suspended', 'revoked'] as const)
      expect(await total(`/api/admin/certificates?status=${status}`)).toBe(body.certificates[status]);
    // An expiry bound that takes in the active certificate: the figure and the list still agree.
    const [active] = (await as(passer).get('/api/certificates').expect(200)).body.filter((c: { status: string }) => c.status === 'active');
    const day = isoDay(new Date(Date.parse(isoDay(new Date(active.expiresAt))) - 89 * DAY_MS));
    const later = (await dashboard(`?from=${day}&to=${day}`)).certificates;
    expect(later.expiring).toBe(1);
    expect(await total(`/api/admin/certificates?status=active&expiringBefore=${later.expiringBefore}`)).toBe(later.expiring);
    expect(await total(`/api/admin/certificates?status=active&expiringBefore=${body.certificates.expiringBefore}`)).toBe(
      body.certificates.expiring,
    );
  });

  it('lists every panel booking status and outcome, zeros included, when there are none', async () => {
    const body = await dashboard(`?from=${today}&to=${today}`);
    expect(body.panels).toEqual({
      bookings: 0,
      bookingsByStatus: ['booked', 'completed', 'cancelled', 'no_show_candidate', 'no_show_assessor'].map((status) => ({
        status,
        count: 0,
      })),
      decided: 0,
      outcomes: [
        { outcome: 'pass', count: 0 },
        { outcome: 'fail', count: 0 },
      ],
    });
  });

  it("leaves today's rows out of a period that ends yesterday", async () => {
    const yesterday = isoDay(new Date(Date.parse(today) - DAY_MS));
    const body = await dashboard(`?from=${yesterday}&to=${yesterday}`);
    expect(body.candidates.registered).toBe(0);
    expect(body.attempts).toMatchObject({ started: 0, submitted: 0, passed: 0, failed: 0, passRate: null });
    expect(body.portfolios.reviewTurnaround).toMatchObject({ completed: 0, medianDays: null, p90Days: null });
    expect(body.certificates.issued).toBe(0);
    // Current states do not depend on the period.
    expect(body.certificates).toMatchObject({ active: 1, suspended: 1 });
    expect(body.portfolios.total).toBe(1);
  });

  it.each([
    ['?from=2026-02-30', 'from must be a date written YYYY-MM-DD, e.g. 2026-01-31'],
    ['?to=31/01/2026', 'to must be a date written YYYY-MM-DD, e.g. 2026-01-31'],
    ['?from=2026-05-02&to=2026-05-01', 'from (2026-05-02) is after to (2026-05-01)'],
    ['?from=2024-01-01&to=2025-01-01', 'the period is 367 days long; it can be at most 366 days'],
  ])('answers %s with 400 and a plain message, never 500', async (query, message) => {
    const res = await as(admin).get(`/api/admin/dashboard${query}`).expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('refuses unknown parameters', async () => {
    await as(admin).get('/api/admin/dashboard?since=2026-01-01').expect(400);
  });
});
