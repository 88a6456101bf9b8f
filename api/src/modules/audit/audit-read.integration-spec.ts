import { TestContext, type TestUser } from '../../../test/test-app';
import { AssignReviewersJob } from '../reviews/jobs/review-jobs';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

/** Issue #14: reads of sensitive data leave an audit entry naming who read what. */
describe('reads of sensitive data are audited (real PostgreSQL)', () => {
  let ctx: TestContext;
  const tag = Date.now().toString(36);
  const as = (u: TestUser) => ctx.as(u);
  const readsOf = async (action: string, subjectId: string) =>
    (await ctx.dataSource.query(`SELECT actor_id, data FROM audit_log WHERE action = $1 AND subject_id = $2 ORDER BY id`, [
      action,
      subjectId,
    ])) as Array<{ actor_id: string; data: { route: string } }>;

  beforeAll(async () => {
    ctx = await TestContext.create();
  });
  afterAll(() => ctx.close());

  it('a candidate downloading an attachment and a reviewer viewing the submission each leave a read entry; a refused read leaves none', async () => {
    const candidate = await ctx.newUser('candidate', { email: `reads-${tag}@cand-reads-${tag}.example` });
    await ctx.passAida(candidate);
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await as(candidate)
      .put('/api/portfolios/CPAP/context', {
        system: 'S',
        organisation: `Org reads ${tag}`,
        modelsUsed: 'M',
        usersAffected: 'U',
        riskLevel: 'medium',
      })
      .expect(200);
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    const attachment = (
      await as(candidate).post('/api/portfolios/CPAP/evidence/D01.1/attachments').attach('file', PDF, 'dpia.pdf').expect(201)
    ).body;

    await as(candidate).get(`/api/attachments/${attachment.id}`).expect(200);
    expect(await readsOf('attachment.viewed', attachment.id)).toEqual([
      { actor_id: candidate.id, data: { route: 'GET /api/attachments/:attachmentId' } },
    ]);
    const outsider = await ctx.newUser('candidate');
    await as(outsider).get(`/api/attachments/${attachment.id}`).expect(404);
    expect(await readsOf('attachment.viewed', attachment.id)).toHaveLength(1);

    const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
    const reviewers: TestUser[] = [];
    for (const n of [1, 2]) {
      const r = await ctx.newUser('reviewer', { email: `r${n}-reads-${tag}@rev${n}-reads-${tag}.example` });
      await as(r)
        .put('/api/reviews/profile', { organisation: `Rev ${n} reads ${tag}`, expertise: CPAP_DOMAINS, maxConcurrent: 50, away: [] })
        .expect(200);
      reviewers.push(r);
    }
    // These two are the only reviewers available for this submission.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles) AND NOT (id = ANY($1::uuid[]))
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
      [reviewers.map((r) => r.id)],
    );
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    const [offer] = (await as(reviewers[0]).get('/api/reviews/assignments').expect(200)).body.filter(
      (a: { submissionId: string }) => a.submissionId === submissionId,
    );
    await as(reviewers[0]).post(`/api/reviews/assignments/${offer.id}/accept`).expect(200);

    await as(reviewers[0]).get(`/api/reviews/assignments/${offer.id}/submission`).expect(200);
    expect(await readsOf('submission.viewed', offer.id)).toEqual([
      { actor_id: reviewers[0].id, data: { route: 'GET /api/reviews/assignments/:id/submission' } },
    ]);
    // Someone else's assignment: 404, and nothing recorded as read.
    await as(reviewers[1]).get(`/api/reviews/assignments/${offer.id}/submission`).expect(404);
    expect(await readsOf('submission.viewed', offer.id)).toHaveLength(1);

    // The admin view lists reads apart from decisions, so they do not drown them.
    const admin = await ctx.newAdmin();
    const reads = (await as(admin).get('/api/admin/audit?kind=reads&limit=500').expect(200)).body as Array<{ action: string }>;
    expect(reads.map((e) => e.action)).toEqual(expect.arrayContaining(['attachment.viewed', 'submission.viewed']));
    const decisions = (await as(admin).get('/api/admin/audit?kind=decisions&limit=500').expect(200)).body as Array<{ action: string }>;
    expect(decisions.some((e) => e.action.endsWith('.viewed') || e.action.endsWith('_listed') || e.action.endsWith('.listed'))).toBe(false);
    await as(admin).get('/api/admin/audit?kind=everything').expect(400);
  });

  it('an admin listing and opening people leaves read entries naming the admin', async () => {
    const admin = await ctx.newAdmin();
    const person = await ctx.newUser('candidate');
    await as(admin).get('/api/admin/users?query=nobody-by-this-name').expect(200);
    await as(admin).get(`/api/admin/users/${person.id}`).expect(200);
    expect(await readsOf('user.viewed', person.id)).toEqual([{ actor_id: admin.id, data: { route: 'GET /api/admin/users/:userId' } }]);
    const [listed] = await ctx.dataSource.query(
      `SELECT actor_id, subject_id, data FROM audit_log WHERE action = 'user.listed' AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [admin.id],
    );
    // The search term is not kept (it may be a name or an address): only the route.
    expect(listed).toEqual({ actor_id: admin.id, subject_id: null, data: { route: 'GET /api/admin/users' } });
  });
});
