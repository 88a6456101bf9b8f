import { AssignReviewersJob } from '../../src/modules/reviews/jobs/review-jobs';
import { TestContext, type TestUser } from '../test-app';

const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

/**
 * Abuse: a candidate tries to choose who reviews them (architecture invariant 11, issue #14).
 * With no directory to pick from, what is left is declaring conflicts: capped, decided by an
 * administrator, and the draw among equally suited reviewers is random, so nothing lines up a reviewer.
 */
describe('abuse: steering who reviews a portfolio (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  const tag = Date.now().toString(36);
  const pool: TestUser[] = [];
  const as = (u: TestUser) => ctx.as(u);

  async function candidate(label: string): Promise<TestUser> {
    const c = await ctx.newUser('candidate', { email: `${label}-${tag}@steer-${label}-${tag}.example`, fullName: `Steerer ${label}` });
    await ctx.passAida(c);
    await as(c).get('/api/portfolios/CPAP').expect(200);
    await as(c)
      .put('/api/portfolios/CPAP/context', {
        system: 'Claims triage',
        organisation: `Steerer org ${label} ${tag}`,
        modelsUsed: 'A hosted LLM',
        usersAffected: 'Policyholders',
        riskLevel: 'high',
      })
      .expect(200);
    return c;
  }

  async function submitAndAssign(c: TestUser): Promise<string[]> {
    const draft = (await as(c).get('/api/portfolios/CPAP').expect(200)).body;
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence for ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    const submissionId = (await as(c).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    const rows: Array<{ reviewer_id: string }> = await ctx.dataSource.query(
      `SELECT reviewer_id FROM review_assignments WHERE submission_id = $1`,
      [submissionId],
    );
    return rows.map((r) => r.reviewer_id);
  }

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
    // Reviewers other suites created share this database: send them away so this suite's pool is its own.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles)
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
    );
    // Four reviewers equal in every way the ranking looks at (all domains, a large capacity), in two organisations.
    for (const i of [0, 1, 2, 3]) {
      const r = await ctx.newUser('reviewer', { email: `tied${i}-${tag}@tied${i}-${tag}.example`, fullName: `Tied ${i} ${tag}` });
      await as(r)
        .put('/api/reviews/profile', { organisation: `Pool org ${i % 2} ${tag}`, expertise: CPAP_DOMAINS, maxConcurrent: 50, away: [] })
        .expect(200);
      pool.push(r);
    }
  }, 60_000);
  afterAll(() => ctx.close());

  it('declaring conflict after conflict stops at the cap', async () => {
    const c = await candidate('many');
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) {
      codes.push((await as(c).post('/api/portfolios/CPAP/conflicts', { kind: 'person', name: `Person ${i}`, reason: 'Colleague' })).status);
    }
    expect(codes).toEqual([201, 201, 201, 400, 400, 400, 400, 400, 400, 400]);
    expect((await as(c).get('/api/portfolios/CPAP/conflicts').expect(200)).body).toMatchObject({ remaining: 0 });
  });

  it('declaring every reviewer by organisation achieves nothing when an administrator rejects it: the whole pool is still used', async () => {
    const c = await candidate('everyone');
    const ids: string[] = [];
    for (const org of [0, 1]) {
      const declared = await as(c)
        .post('/api/portfolios/CPAP/conflicts', { kind: 'organisation', name: `Pool org ${org} ${tag}`, reason: 'I dislike them all' })
        .expect(201);
      ids.push(declared.body.id);
    }
    const queue = (await as(admin).get('/api/admin/conflicts').expect(200)).body as Array<{ id: string; matchedReviewers: object[] }>;
    // the administrator sees that the two declarations name the whole pool
    expect(queue.filter((d) => ids.includes(d.id)).flatMap((d) => d.matchedReviewers)).toHaveLength(4);
    for (const id of ids) {
      await as(admin)
        .post(`/api/admin/conflicts/${id}/reject`, { note: 'No relation stated; dislike is not a conflict of interest' })
        .expect(200);
    }
    const offered = await submitAndAssign(c);
    expect(offered).toHaveLength(2);
    expect(offered.every((id) => pool.some((r) => r.id === id))).toBe(true);
  });

  it('repeated assignments over a tied pool draw different reviewers, and each records the pool it was drawn from', async () => {
    const drawn = new Set<string>();
    for (let i = 0; i < 6; i++) {
      (await submitAndAssign(await candidate(`draw${i}`))).forEach((id) => drawn.add(id));
    }
    // deterministic tie-breaking (by id or name) would hand every portfolio to the same two reviewers
    expect(drawn.size).toBeGreaterThan(2);
    const audited: Array<{ data: { poolSize: number; eligibleCount: number; reviewerId: string } }> = await ctx.dataSource.query(
      `SELECT data FROM audit_log WHERE action = 'review.offered' AND data->>'reviewerId' = ANY($1::text[])`,
      [pool.map((r) => r.id)],
    );
    expect(audited.length).toBeGreaterThanOrEqual(12);
    for (const { data } of audited) {
      expect(data.eligibleCount).toBe(4);
      expect(data.poolSize).toBeGreaterThanOrEqual(4);
    }
  });
});
