import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { generateTotpSecret } from '../../common/auth/totp';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';
import { AssignReviewersJob } from '../reviews/jobs/review-jobs';
import { UsersService } from '../users/users.service';

const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];
const ALL_DAY = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '24:00' }));

/** Conflicts of interest declared by candidates (issue #14): capped, audited, confirmed by an independent administrator. */
describe('conflict-of-interest declarations instead of a reviewer directory (real PostgreSQL and Redis)', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  let admin: TestUser;
  const tag = Date.now().toString(36);
  const reviewers: Record<string, TestUser> = {};
  const as = (u: TestUser) => ctx.as(u);

  const declare = (u: TestUser, body: object, credential = 'CPAP') => as(u).post(`/api/portfolios/${credential}/conflicts`, body);

  async function cpapCandidate(label: string): Promise<TestUser> {
    const c = await ctx.newUser('candidate', { email: `${label}-${tag}@cand-${label}-${tag}.example`, fullName: `Candidate ${label}` });
    await ctx.passAida(c);
    await as(c).get('/api/portfolios/CPAP').expect(200);
    await as(c)
      .put('/api/portfolios/CPAP/context', {
        system: 'Claims triage',
        organisation: `Own org ${label} ${tag}`,
        modelsUsed: 'A hosted LLM',
        usersAffected: 'Policyholders',
        riskLevel: 'high',
      })
      .expect(200);
    return c;
  }

  async function submit(c: TestUser): Promise<string> {
    const draft = (await as(c).get('/api/portfolios/CPAP').expect(200)).body;
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence for ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    return (await as(c).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
  }

  async function offeredTo(submissionId: string): Promise<string[]> {
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    const rows: Array<{ reviewer_id: string }> = await ctx.dataSource.query(
      `SELECT reviewer_id FROM review_assignments WHERE submission_id = $1`,
      [submissionId],
    );
    const name = (id: string) => Object.entries(reviewers).find(([, u]) => u.id === id)?.[0] ?? `other:${id}`;
    return rows.map((r) => name(r.reviewer_id)).sort();
  }

  beforeAll(async () => {
    own = await OwnDatabase.use('conflicts');
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 2 });
    worker.get(OutboxRelay).start();
    // Reviewers other suites created share this database: send them away so this suite's pool is its own.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles)
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
    );
    const profiles: Record<string, { org: string; expertise: string[] }> = {
      expert: { org: `Northwind Assurance ${tag}`, expertise: CPAP_DOMAINS },
      first: { org: `Alpha ${tag}`, expertise: ['D01', 'D02', 'D03', 'D04'] },
      second: { org: `Beta ${tag}`, expertise: ['D05', 'D06', 'D07'] },
    };
    for (const [name, p] of Object.entries(profiles)) {
      reviewers[name] = await ctx.newUser('reviewer', {
        email: `${name}-${tag}@rev-${name}-${tag}.example`,
        fullName: `Rev ${name} ${tag}`,
      });
      await as(reviewers[name])
        .put('/api/reviews/profile', { organisation: p.org, expertise: p.expertise, maxConcurrent: 10, away: [] })
        .expect(200);
    }
  }, 60_000);
  afterAll(async () => {
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  it('the reviewer directory and the exclusion picker are gone', async () => {
    const c = await cpapCandidate('dir');
    await as(c).get('/api/portfolios/reviewers').expect(404);
    await as(c)
      .put('/api/portfolios/CPAP/exclusions', { reviewerIds: [reviewers.expert.id] })
      .expect(404);
  });

  it('caps declarations per portfolio (400 beyond CONFLICT_DECLARATIONS_MAX), withdrawn ones free a place, and validates each', async () => {
    const c = await cpapCandidate('cap');
    await declare(c, { kind: 'person', reason: 'no one named' }).expect(400);
    await declare(c, { kind: 'organisation', emailDomain: 'acme.example', reason: 'no name' }).expect(400);
    await declare(c, { kind: 'person', name: 'Someone', reason: '' }).expect(400);
    await declare(c, { kind: 'person', name: 'Someone', reason: 'x'.repeat(1001) }).expect(400);
    await declare(c, { kind: 'person', email: 'not-an-address', reason: 'former colleague' }).expect(400);
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push((await declare(c, { kind: 'person', name: `Person ${n}`, reason: `Relation ${n}` }).expect(201)).body.id);
    }
    const refused = await declare(c, { kind: 'person', name: 'Person 4', reason: 'Relation 4' }).expect(400);
    expect(refused.body.message).toMatch(/at most 3/);
    const listed = (await as(c).get('/api/portfolios/CPAP/conflicts').expect(200)).body;
    expect(listed).toMatchObject({ max: 3, remaining: 0 });
    expect(listed.declarations.map((d: { status: string }) => d.status)).toEqual(['pending', 'pending', 'pending']);
    // someone else cannot withdraw it; the owner can while it is pending
    const other = await cpapCandidate('other');
    await as(other).delete(`/api/portfolios/CPAP/conflicts/${ids[0]}`).expect(404);
    await as(c).delete(`/api/portfolios/CPAP/conflicts/${ids[0]}`).expect(204);
    await as(c).delete(`/api/portfolios/CPAP/conflicts/${ids[0]}`).expect(409);
    await declare(c, { kind: 'person', name: 'Person 4', reason: 'Relation 4' }).expect(201);
    await declare(c, { kind: 'person', name: 'Person 5', reason: 'Relation 5' }).expect(400);
    const [{ n }] = await ctx.dataSource.query(
      `SELECT count(*)::int AS n FROM portfolio_conflict_declarations d JOIN portfolios p ON p.id = d.portfolio_id
       WHERE p.user_id = $1 AND d.status <> 'withdrawn'`,
      [c.id],
    );
    expect(n).toBe(3);
  });

  it('audits declaring, withdrawing and deciding, with the reason and the named person kept as personal data', async () => {
    const c = await cpapCandidate('audit');
    const declared = (
      await declare(c, { kind: 'person', name: 'Pat Example', email: 'pat@audit.example', reason: 'My sister-in-law' }).expect(201)
    ).body;
    const withdrawn = (await declare(c, { kind: 'organisation', name: 'Globex', reason: 'Former employer' }).expect(201)).body;
    await as(c).delete(`/api/portfolios/CPAP/conflicts/${withdrawn.id}`).expect(204);
    await as(admin).post(`/api/admin/conflicts/${declared.id}/reject`, { note: 'Not a reviewer here' }).expect(200);
    const rows: Array<{ action: string; actor_id: string; data: Record<string, unknown>; personal: Record<string, unknown> | null }> =
      await ctx.dataSource.query(
        `SELECT l.action, l.actor_id, l.data, pd.data AS personal FROM audit_log l LEFT JOIN audit_personal_data pd ON pd.entry_id = l.id
         WHERE l.subject_type = 'conflict_declaration' AND l.subject_id IN ($1, $2) ORDER BY l.id`,
        [declared.id, withdrawn.id],
      );
    expect(rows.map((r) => [r.action, r.actor_id])).toEqual([
      ['portfolio.conflict_declared', c.id],
      ['portfolio.conflict_declared', c.id],
      ['portfolio.conflict_withdrawn', c.id],
      ['portfolio.conflict_rejected', admin.id],
    ]);
    expect(rows[0].personal).toEqual({ name: 'Pat Example', email: 'pat@audit.example', reason: 'My sister-in-law' });
    expect(JSON.stringify(rows[0].data)).not.toMatch(/Pat Example|pat@audit|sister/);
    expect(rows[0].data).toHaveProperty('personalData');
    expect(rows[3].data).toMatchObject({ note: 'Not a reviewer here', candidateId: c.id });
    const mine = (await as(c).get('/api/portfolios/CPAP/conflicts').expect(200)).body.declarations;
    expect(mine.find((d: { id: string }) => d.id === declared.id)).toMatchObject({
      status: 'rejected',
      decisionNote: 'Not a reviewer here',
    });
  });

  it('pending declarations exclude nobody; confirmed ones keep the matched reviewer off the portfolio', async () => {
    // Named by organisation (normalised), never seen in a list: the candidate never learns whom it matched.
    const pendingOnly = await cpapCandidate('pending');
    const pending = (
      await declare(pendingOnly, { kind: 'organisation', name: `northwind  ASSURANCE ${tag}.`, reason: 'We are suing them' }).expect(201)
    ).body;
    expect(JSON.stringify(pending)).not.toContain(reviewers.expert.id);
    expect(await offeredTo(await submit(pendingOnly))).toEqual(['expert', 'first']);

    const confirmedFor = await cpapCandidate('confirmed');
    const byEmail = (
      await declare(confirmedFor, { kind: 'person', email: reviewers.expert.email.toUpperCase(), reason: 'My business partner' }).expect(
        201,
      )
    ).body;
    const queue = (await as(admin).get('/api/admin/conflicts?status=pending').expect(200)).body;
    const listed = queue.find((d: { id: string }) => d.id === byEmail.id);
    expect(listed).toMatchObject({
      candidateId: confirmedFor.id,
      reason: 'My business partner',
      matchedReviewers: [expect.objectContaining({ id: reviewers.expert.id, organisation: `Northwind Assurance ${tag}` })],
    });
    // a candidate cannot decide their own declaration (not an administrator)
    await as(confirmedFor).post(`/api/admin/conflicts/${byEmail.id}/confirm`, {}).expect(403);
    await as(admin).post(`/api/admin/conflicts/${byEmail.id}/reject`, {}).expect(400);
    const confirmed = await as(admin)
      .post(`/api/admin/conflicts/${byEmail.id}/confirm`, { note: 'Declared business relation' })
      .expect(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', decidedBy: admin.id });
    await as(admin).post(`/api/admin/conflicts/${byEmail.id}/reject`, { note: 'changed my mind' }).expect(409);
    // withdrawing a decided declaration is refused
    await as(confirmedFor).delete(`/api/portfolios/CPAP/conflicts/${byEmail.id}`).expect(409);
    const offered = await offeredTo(await submit(confirmedFor));
    expect(offered).toEqual(['first', 'second']);
    expect(offered).not.toContain('expert');
  });

  it('an administrator who is the candidate cannot confirm or reject their own declaration (403 not_independent)', async () => {
    const email = `admin-cand-${tag}@example.org`;
    const password = `pw-${tag}-admin-cand`;
    const totpSecret = generateTotpSecret();
    const created = await ctx.app
      .get(UsersService)
      .create({ email, password, fullName: 'Admin Candidate', roles: ['candidate', 'admin'], totpSecret }, null, 'cli');
    const both = await ctx.signIn({
      id: created.id,
      email,
      password,
      fullName: 'Admin Candidate',
      totpSecret,
      accessToken: '',
      refreshCookie: '',
    });
    await ctx.passAida(both);
    await as(both).get('/api/portfolios/CPAP').expect(200);
    const own = (await declare(both, { kind: 'person', name: 'A Colleague', reason: 'We share an office' }).expect(201)).body;
    for (const action of ['confirm', 'reject']) {
      const refused = await as(both).post(`/api/admin/conflicts/${own.id}/${action}`, { note: 'self-service' }).expect(403);
      expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden', reason: 'not_independent' });
    }
    const [row] = await ctx.dataSource.query(`SELECT status FROM portfolio_conflict_declarations WHERE id = $1`, [own.id]);
    expect(row.status).toBe('pending');
  });

  it('a confirmed declaration keeps the matched assessor off the candidate’s CPAA panel; a pending one does not', async () => {
    await ctx.dataSource.query(`UPDATE assessor_profiles SET active = false`);
    const assessors: TestUser[] = [];
    for (const [i, chair] of [true, false, false].entries()) {
      const a = await ctx.newUser('reviewer', { fullName: `Panel ${i} ${tag}`, email: `panel${i}-${tag}@panel${i}-${tag}.example` });
      await as(admin).put(`/api/admin/panels/assessors/${a.id}`, { active: true, isChair: chair }).expect(200);
      await as(a).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
      assessors.push(a);
    }
    const c = await ctx.newUser('candidate', { fullName: 'Panel Candidate' });
    await ctx.passCpaaPortfolio(c.id, admin);
    const slots = async () =>
      (await as(c).get('/api/panels/me/slots?timeZone=UTC').expect(200)).body.days.flatMap((d: { slots: object[] }) => d.slots) as Array<{
        start: string;
      }>;
    const declared = (await declare(c, { kind: 'person', name: `panel 2 ${tag}`, reason: 'My co-author' }, 'CPAA').expect(201)).body;
    expect((await slots()).length).toBeGreaterThan(0); // pending: the three can still sit
    await as(admin).post(`/api/admin/conflicts/${declared.id}/confirm`, {}).expect(200);
    expect(await slots()).toEqual([]); // confirmed: only two remain, no panel can be seated
    const extra = await ctx.newUser('reviewer', { fullName: `Panel extra ${tag}` });
    await as(admin).put(`/api/admin/panels/assessors/${extra.id}`, { active: true, isChair: false }).expect(200);
    await as(extra).put('/api/panels/availability', { timeZone: 'UTC', weeklyCap: 10, weekly: ALL_DAY, overrides: [] }).expect(200);
    const open = (await slots()).filter((s) => Date.parse(s.start) - Date.now() > 48 * 3_600_000 + 10 * 60_000);
    await as(c).post('/api/panels/me/booking', { start: open[0].start, timeZone: 'UTC' }).expect(201);
    const members: Array<{ assessor_id: string }> = await ctx.dataSource.query(
      `SELECT mb.assessor_id FROM panel_members mb JOIN panel_bookings b ON b.id = mb.booking_id
       JOIN panel_interviews i ON i.id = b.interview_id WHERE i.candidate_id = $1 AND mb.active`,
      [c.id],
    );
    expect(members.map((m) => m.assessor_id).sort()).toEqual([assessors[0].id, assessors[1].id, extra.id].sort());
    const [booked] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'panel.booked' AND actor_id = $1`, [c.id]);
    expect(booked.data).toMatchObject({ poolSize: 3, eligibleCount: 3 });
  }, 60_000);
});
