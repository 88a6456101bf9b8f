import { TestContext, type TestUser } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import { AssignReviewersJob } from './jobs/review-jobs';
import { ReviewOffersReconciler } from './review-offers.reconciler';

describe('reviews reconciler: submissions short of reviewers, offers without their deadline job (real PostgreSQL)', () => {
  let ctx: TestContext;
  let config: AppConfig;
  let candidate: TestUser;
  let submissionId: string;
  const tag = Date.now().toString(36);
  const reconciler = () => ctx.app.get(ReviewOffersReconciler);
  const afterGrace = () => new Date(Date.now() + config.reconcile.graceMs + 1000);

  async function jobs(jobName: string, key: string, value: string): Promise<Array<{ id: string; runAt: Date; open: boolean }>> {
    return ctx.dataSource.query(
      `SELECT id, run_at AS "runAt", completed_at IS NULL AS open FROM outbox WHERE job_name = $1 AND payload->>$2 = $3 ORDER BY created_at`,
      [jobName, key, value],
    );
  }
  const assignJobs = () => jobs('assign-reviewers', 'submissionId', submissionId);
  /** As the worker does once a job's handler returned. */
  const markCompleted = (outboxId: string) =>
    ctx.dataSource.query(`UPDATE outbox SET published_at = coalesce(published_at, now()), completed_at = now() WHERE id = $1`, [outboxId]);

  beforeAll(async () => {
    ctx = await TestContext.create();
    config = ctx.app.get(APP_CONFIG);
    // Reviewers other suites created share this database: send them away so that nobody can take this submission yet.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles)
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
    );
    candidate = await ctx.newUser('candidate', { email: `cand-${tag}@cand-${tag}.example`, fullName: 'Casey Waiting' });
    await ctx.passAida(candidate);
    const draft = (await ctx.as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await ctx
      .as(candidate)
      .put('/api/portfolios/CPAP/context', {
        system: 'Claims triage',
        organisation: `Candidate Mutual ${tag}`,
        modelsUsed: 'A hosted LLM',
        usersAffected: 'Policyholders',
        riskLevel: 'high',
      })
      .expect(200);
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence for ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    submissionId = (await ctx.as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
  }, 60_000);
  afterAll(() => ctx.close());

  it('leaves a submission nobody can review alone, and queues its assignment again once someone can, once', async () => {
    // The assignment job runs, finds nobody (the administrators are told) and completes.
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    const [submitted] = await assignJobs();
    await markCompleted(submitted.id);

    const later = afterGrace();
    await reconciler().reconcile(later);
    expect(await assignJobs()).toEqual([{ ...submitted, open: false }]);

    const reviewer = await ctx.newUser('reviewer', { email: `rev-${tag}@rev-${tag}.example`, fullName: 'Robin Free' });
    await ctx
      .as(reviewer)
      .put('/api/reviews/profile', { organisation: `Reviewer Org ${tag}`, expertise: ['D01', 'D02'], maxConcurrent: 5, away: [] })
      .expect(200);
    expect(await reconciler().reconcile(later)).toBeGreaterThanOrEqual(1);
    await reconciler().reconcile(later);
    const rows = await assignJobs();
    expect(rows).toEqual([
      { ...submitted, open: false },
      { id: expect.any(String), runAt: expect.any(Date), open: true },
    ]);

    // The job queued again makes the offer the first run could not.
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    await markCompleted(rows[1].id);
    const offers = await ctx.dataSource.query(`SELECT reviewer_id FROM review_assignments WHERE submission_id = $1`, [submissionId]);
    expect(offers).toEqual([{ reviewer_id: reviewer.id }]);
    // One place is still free and nobody else can take it: nothing more is queued.
    await reconciler().reconcile(later);
    expect(await assignJobs()).toHaveLength(2);
  }, 30_000);

  it("queues an offer's lapse again, at its response deadline, when its job completed without running, once", async () => {
    const [offer] = await ctx.dataSource.query(`SELECT id, respond_by AS "respondBy" FROM review_assignments WHERE submission_id = $1`, [
      submissionId,
    ]);
    const timeouts = () => jobs('review-offer-timeout', 'assignmentId', offer.id);
    const [queued] = await timeouts();
    expect(queued.runAt.getTime()).toBe(offer.respondBy.getTime());
    // Fault injection: the row is marked done although its handler never ran.
    await markCompleted(queued.id);

    // An offer younger than the grace period: its job may just not have run yet.
    await reconciler().reconcile(new Date());
    expect(await timeouts()).toHaveLength(1);

    const later = afterGrace();
    await reconciler().reconcile(later);
    await reconciler().reconcile(later);
    const rows = await timeouts();
    expect(rows.map((r) => [r.runAt.getTime(), r.open])).toEqual([
      [offer.respondBy.getTime(), false],
      [offer.respondBy.getTime(), true],
    ]);
  });
});
