import { TestContext, type TestUser } from '../../../test/test-app';
import { AssignReviewersJob, ReviewOfferTimeoutJob, ReviewOverdueJob } from './jobs/review-jobs';

describe('review assignment as jobs: conflicts, expertise, decline, lapse, overdue (real PostgreSQL)', () => {
  let ctx: TestContext;
  let candidate: TestUser;
  let submissionId: string;
  const reviewers: Record<string, TestUser> = {};
  const tag = Date.now().toString(36);

  const as = (u: TestUser) => ctx.as(u);
  const assign = () => ctx.app.get(AssignReviewersJob).handle({ submissionId });
  const offers = async () =>
    (await ctx.dataSource.query(`SELECT id, reviewer_id, status FROM review_assignments WHERE submission_id = $1 ORDER BY offered_at`, [
      submissionId,
    ])) as Array<{
      id: string;
      reviewer_id: string;
      status: string;
    }>;
  const nameOf = (id: string) => Object.entries(reviewers).find(([, u]) => u.id === id)?.[0] ?? `other:${id}`;
  const live = async () =>
    (await offers())
      .filter((o) => ['offered', 'accepted'].includes(o.status))
      .map((o) => nameOf(o.reviewer_id))
      .sort();
  const pendingAssignJobs = async () =>
    (
      await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM outbox WHERE job_name = 'assign-reviewers' AND payload->>'submissionId' = $1`,
        [submissionId],
      )
    )[0].n;

  beforeAll(async () => {
    ctx = await TestContext.create();
    candidate = await ctx.newUser('candidate', { email: `cand-${tag}@acme-${tag}.example`, fullName: 'Casey Portfolio' });
    const profiles: Record<string, { org: string; domain: string; expertise: string[] }> = {
      sameOrg: { org: `Acme Mutual ${tag}`, domain: `rev1-${tag}.example`, expertise: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'] },
      sameDomain: { org: 'Elsewhere Ltd', domain: `acme-${tag}.example`, expertise: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'] },
      excluded: { org: 'Excluded plc', domain: `rev3-${tag}.example`, expertise: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'] },
      a: { org: 'Alpha', domain: `alpha-${tag}.example`, expertise: ['D01', 'D02', 'D03', 'D04'] },
      b: { org: 'Beta', domain: `beta-${tag}.example`, expertise: ['D05', 'D06', 'D07'] },
      c: { org: 'Gamma', domain: `gamma-${tag}.example`, expertise: ['D01', 'D02', 'D03'] },
      d: { org: 'Delta', domain: `delta-${tag}.example`, expertise: ['D05', 'D06'] },
      e: { org: 'Epsilon', domain: `eps-${tag}.example`, expertise: ['D04'] },
    };
    // Reviewers other suites created share this database: send them away so this suite's pool is its own.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles)
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
    );
    for (const [name, p] of Object.entries(profiles)) {
      reviewers[name] = await ctx.newUser('reviewer', { email: `${name}-${tag}@${p.domain}`, fullName: `Reviewer ${name}` });
      await as(reviewers[name])
        .put('/api/reviews/profile', { organisation: p.org, expertise: p.expertise, maxConcurrent: 5, away: [] })
        .expect(200);
    }
    await ctx.passAida(candidate);
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await as(candidate)
      .put('/api/portfolios/CPAP/context', {
        system: 'Claims triage',
        organisation: `acme mutual ${tag}`,
        modelsUsed: 'A hosted LLM',
        usersAffected: 'Policyholders',
        riskLevel: 'high',
      })
      .expect(200);
    // A conflict the candidate declares (by name, not from a directory) excludes once an administrator confirms it.
    const declared = await as(candidate)
      .post('/api/portfolios/CPAP/conflicts', { kind: 'person', name: 'reviewer  EXCLUDED', reason: 'My former line manager' })
      .expect(201);
    await as(await ctx.newAdmin())
      .post(`/api/admin/conflicts/${declared.body.id}/confirm`, { note: 'Line management within 3 years' })
      .expect(200);
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence for ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
    expect(await pendingAssignJobs()).toBe(1);
  }, 60_000);
  afterAll(() => ctx.close());

  it('offers two reviewers covering the domains, never a conflicted one (organisation, e-mail domain, confirmed candidate declaration)', async () => {
    await assign();
    expect(await live()).toEqual(['a', 'b']);
    // The same job delivered again changes nothing.
    await assign();
    expect(await offers()).toHaveLength(2);
    // Blind review: the reviewer sees the offer without the candidate's identity.
    const mine = await as(reviewers.a).get('/api/reviews/assignments').expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ submissionId, status: 'offered', credential: 'CPAP', candidateName: null })]);
    expect(JSON.stringify(mine.body)).not.toContain('Casey');
    const mails = await ctx.dataSource.query(`SELECT recipient FROM notifications WHERE template = 'review-offer' AND recipient LIKE $1`, [
      `%${tag}%`,
    ]);
    expect(mails).toHaveLength(2);
  });

  it('a reviewer declaring a conflict is replaced and never offered this candidate again', async () => {
    const [offerToA] = (await offers()).filter((o) => o.reviewer_id === reviewers.a.id);
    await as(reviewers.b).post(`/api/reviews/assignments/${offerToA.id}/accept`).expect(404);
    await as(reviewers.a)
      .post(`/api/reviews/assignments/${offerToA.id}/decline`, { conflict: true, reason: 'Former colleague' })
      .expect(200);
    expect(await pendingAssignJobs()).toBe(2);
    await assign();
    expect(await live()).toEqual(['b', 'c']);
    const [conflict] = await ctx.dataSource.query(`SELECT reason FROM reviewer_conflicts WHERE reviewer_id = $1 AND candidate_id = $2`, [
      reviewers.a.id,
      candidate.id,
    ]);
    expect(conflict.reason).toBe('Former colleague');
  });

  it('an offer nobody answers lapses after the response window and the place is offered again', async () => {
    const [offerToB] = (await offers()).filter((o) => o.reviewer_id === reviewers.b.id);
    // Not due yet: the job fails (BullMQ retries later) and nothing changes.
    await expect(ctx.app.get(ReviewOfferTimeoutJob).handle({ assignmentId: offerToB.id })).rejects.toThrow(/not due/);
    await ctx.dataSource.query(`UPDATE review_assignments SET respond_by = now() - interval '1 minute' WHERE id = $1`, [offerToB.id]);
    await ctx.app.get(ReviewOfferTimeoutJob).handle({ assignmentId: offerToB.id });
    await as(reviewers.b).post(`/api/reviews/assignments/${offerToB.id}/accept`).expect(409);
    await assign();
    expect(await live()).toEqual(['c', 'd']);
  });

  it('an accepted review past its due date is reassigned and the admins are told', async () => {
    const admin = await ctx.newAdmin();
    const [offerToC] = (await offers()).filter((o) => o.reviewer_id === reviewers.c.id);
    const accepted = await as(reviewers.c).post(`/api/reviews/assignments/${offerToC.id}/accept`).expect(200);
    const dueAt = new Date(accepted.body.find((a: { id: string }) => a.id === offerToC.id).dueAt).getTime();
    expect(dueAt - Date.now()).toBeGreaterThan(13.9 * 86_400_000);
    const jobs = await ctx.dataSource.query(
      `SELECT job_name, payload->>'daysBefore' AS days FROM outbox WHERE payload->>'assignmentId' = $1 AND job_name IN ('review-reminder', 'review-overdue') ORDER BY run_at`,
      [offerToC.id],
    );
    expect(jobs).toEqual([
      { job_name: 'review-reminder', days: '7' },
      { job_name: 'review-reminder', days: '2' },
      { job_name: 'review-overdue', days: null },
    ]);
    await ctx.dataSource.query(`UPDATE review_assignments SET due_at = now() - interval '1 minute' WHERE id = $1`, [offerToC.id]);
    await ctx.app.get(ReviewOverdueJob).handle({ assignmentId: offerToC.id });
    await ctx.app.get(ReviewOverdueJob).handle({ assignmentId: offerToC.id });
    const alerts = await ctx.dataSource.query(`SELECT subject FROM notifications WHERE recipient = $1`, [admin.email]);
    expect(alerts).toEqual([{ subject: 'A review is overdue and has been reassigned' }]);
    await assign();
    const now = await live();
    expect(now).toHaveLength(2);
    expect(now).toContain('d');
    expect(now.some((n) => ['sameOrg', 'sameDomain', 'excluded', 'a', 'b', 'c'].includes(n))).toBe(false);
  });
});
