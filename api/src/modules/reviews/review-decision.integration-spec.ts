import * as path from 'node:path';
import { TestContext, type TestUser } from '../../../test/test-app';
import { IssueCertificateJob } from '../certificates/jobs/issue-certificate.job';
import { BankSyncService } from '../question-bank/bank-sync.service';
import { AssignReviewersJob, ConsolidateSubmissionJob } from './jobs/review-jobs';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

describe('independent review, consolidation, adjudication and the CPAP certificate (real PostgreSQL)', () => {
  let ctx: TestContext;
  const tag = Date.now().toString(36);
  const as = (u: TestUser) => ctx.as(u);

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(path.resolve(__dirname, '../../../../question-bank'));
  }, 60_000);
  afterAll(() => ctx.close());

  /** A candidate with a submitted CPAP portfolio (with one attachment) and two reviewers who accepted it. */
  async function reviewedSubmission(label: string) {
    const candidate = await ctx.newUser('candidate', {
      email: `${label}-${tag}@cand-${label}-${tag}.example`,
      fullName: `Candidate ${label}`,
    });
    await ctx.passAida(candidate);
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await as(candidate)
      .put('/api/portfolios/CPAP/context', {
        system: 'S',
        organisation: `Org ${label} ${tag}`,
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
    const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id;
    const reviewers: TestUser[] = [];
    for (const n of [1, 2]) {
      const r = await ctx.newUser('reviewer', {
        email: `r${n}-${label}-${tag}@rev${n}-${label}-${tag}.example`,
        fullName: `Reviewer ${label} ${n}`,
      });
      await as(r)
        .put('/api/reviews/profile', { organisation: `Rev ${n} ${label}`, expertise: CPAP_DOMAINS, maxConcurrent: 50, away: [] })
        .expect(200);
      reviewers.push(r);
    }
    // Make these two the only available reviewers: everyone else is away for this test.
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away)
       SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles) AND NOT (id = ANY($1::uuid[]))
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
      [reviewers.map((r) => r.id)],
    );
    await ctx.app.get(AssignReviewersJob).handle({ submissionId });
    const assignments: string[] = [];
    for (const r of reviewers) {
      const [offer] = (await as(r).get('/api/reviews/assignments').expect(200)).body.filter(
        (a: { submissionId: string }) => a.submissionId === submissionId,
      );
      await as(r).post(`/api/reviews/assignments/${offer.id}/accept`).expect(200);
      assignments.push(offer.id);
    }
    return { candidate, submissionId, reviewers, assignments, attachment };
  }

  const reviewBody = (recommendation: string, met: (d: string) => boolean, low = false) => ({
    criterionScores: CPAP_DOMAINS.flatMap((d) =>
      [1, 2, 3, 4, 5].map((i) => ({
        criterion: `${d}.${i}`,
        score: low ? 1 : 2,
        comment: low ? `Thin evidence for ${d}.${i}` : undefined,
      })),
    ),
    domainJudgements: CPAP_DOMAINS.map((d) => ({ domain: d, met: met(d), comment: `${d} judged` })),
    recommendation,
  });

  it('reviewers work independently: the submission only to assigned reviewers, the other review only after submitting one’s own', async () => {
    const { submissionId, reviewers, assignments, attachment } = await reviewedSubmission('indep');
    const outsider = await ctx.newUser('reviewer');
    await as(outsider).get(`/api/reviews/assignments/${assignments[0]}/submission`).expect(404);
    await as(outsider).get(`/api/attachments/${attachment.id}`).expect(404);

    const seen = await as(reviewers[0]).get(`/api/reviews/assignments/${assignments[0]}/submission`).expect(200);
    expect(seen.body).toMatchObject({ submissionId, credential: 'CPAP', candidate: null });
    expect(seen.body.evidence).toHaveLength(35);
    expect(JSON.stringify(seen.body)).not.toContain('Candidate indep');
    await as(reviewers[0]).get(`/api/attachments/${attachment.id}`).expect(200);

    // Bad forms are refused and change nothing.
    const incomplete = await as(reviewers[0])
      .post(`/api/reviews/assignments/${assignments[0]}/review`, { ...reviewBody('pass', () => true), criterionScores: [] })
      .expect(400);
    expect(incomplete.body.message).toMatch(/score every criterion/);
    const noComment = reviewBody('revise', () => true, true);
    noComment.criterionScores[3].comment = undefined;
    expect((await as(reviewers[0]).post(`/api/reviews/assignments/${assignments[0]}/review`, noComment).expect(400)).body.message).toMatch(
      /comment on every score below 2 \(D01.4\)/,
    );

    await as(reviewers[0]).get(`/api/reviews/assignments/${assignments[0]}/reviews`).expect(404);
    const afterOwn = await as(reviewers[0])
      .post(
        `/api/reviews/assignments/${assignments[0]}/review`,
        reviewBody('pass', () => true),
      )
      .expect(201);
    expect(afterOwn.body).toHaveLength(1);
    await as(reviewers[0])
      .post(
        `/api/reviews/assignments/${assignments[0]}/review`,
        reviewBody('pass', () => true),
      )
      .expect(409);
    // Reviewer 2 still cannot see reviewer 1's review.
    await as(reviewers[1]).get(`/api/reviews/assignments/${assignments[1]}/reviews`).expect(404);
  });

  it('keeps a review in progress on the server until it is submitted; only its reviewer reads or writes it', async () => {
    const { reviewers, assignments } = await reviewedSubmission('draft');
    const [mine, other] = reviewers;
    const url = `/api/reviews/assignments/${assignments[0]}/draft`;
    await as(mine).get(url).expect(404);
    const seen = await as(mine).get(`/api/reviews/assignments/${assignments[0]}/submission`).expect(200);
    expect(seen.body.evidence[0]).toMatchObject({ criterion: 'D01.1', text: expect.stringMatching(/^Classification of data types/) });

    const draft = {
      criterionScores: [
        { criterion: 'D01.1', score: 2 },
        { criterion: 'D01.2', score: null, comment: 'Check the consent records' },
      ],
      domainJudgements: [{ domain: 'D01', met: null }],
      recommendation: null,
    };
    const saved = await as(mine).put(url, draft).expect(200);
    expect(saved.body).toMatchObject({ ...draft, updatedAt: expect.any(String) });
    expect((await as(mine).get(url).expect(200)).body).toMatchObject(draft);
    // Another device, the same reviewer: the same draft. Anyone else: no such thing.
    await as(await ctx.signIn(mine))
      .get(url)
      .expect(200);
    await as(other).get(url).expect(404);
    await as(other).put(url, draft).expect(404);

    // Bad drafts are refused and leave the saved one as it was.
    for (const bad of [
      { ...draft, criterionScores: [{ criterion: 'D08.1', score: 1 }] },
      { ...draft, criterionScores: [{ criterion: 'D01.1', score: 4 }] },
      { ...draft, recommendation: 'maybe' },
      { criterionScores: 'all of them' },
    ]) {
      await as(mine).put(url, bad).expect(400);
    }
    expect((await as(mine).get(url).expect(200)).body).toMatchObject(draft);

    // Submitting the review ends the draft; the review is final, so no new draft can start.
    await as(mine)
      .post(
        `/api/reviews/assignments/${assignments[0]}/review`,
        reviewBody('pass', () => true),
      )
      .expect(201);
    await as(mine).get(url).expect(404);
    await as(mine).put(url, draft).expect(409);
  });

  it('two agreeing reviews decide by consensus; a pass issues the CPAP certificate through the same entry point', async () => {
    const { candidate, submissionId, reviewers, assignments } = await reviewedSubmission('agree');
    for (const [i, r] of reviewers.entries()) {
      await as(r)
        .post(
          `/api/reviews/assignments/${assignments[i]}/review`,
          reviewBody('pass', () => true),
        )
        .expect(201);
    }
    const consolidate = ctx.app.get(ConsolidateSubmissionJob);
    await consolidate.handle({ submissionId });
    await consolidate.handle({ submissionId });
    const [decision] = await ctx.dataSource.query(`SELECT outcome, route FROM portfolio_decisions WHERE submission_id = $1`, [
      submissionId,
    ]);
    expect(decision).toEqual({ outcome: 'pass', route: 'consensus' });
    const [event] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1`, [submissionId]);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: event.id });
    const certs = (await as(candidate).get('/api/certificates').expect(200)).body;
    expect(certs).toEqual([
      expect.objectContaining({ credential: { code: 'CPAP', name: 'PSF CPAP Practitioner Certification' }, status: 'active' }),
    ]);

    const feedback = await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200);
    expect(feedback.body.decision.outcome).toBe('pass');
    expect(feedback.body.criteria).toHaveLength(35);
    expect(feedback.body.criteria[0]).toMatchObject({ criterion: 'D01.1', score: 2 });
    expect(feedback.body.domains[0]).toMatchObject({ code: 'D01', met: [true, true] });
    expect(JSON.stringify(feedback.body)).not.toMatch(/Reviewer agree|rev1-agree|reviewer_id/);

    // Appeals close 30 days after the decision.
    await ctx.dataSource.query(`UPDATE portfolio_decisions SET decided_at = now() - interval '31 days' WHERE submission_id = $1`, [
      submissionId,
    ]);
    const late = await as(candidate).post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'Too late now' }).expect(409);
    expect(late.body.message).toBe('Appeals are possible within 30 days of the decision');
  });

  it('disagreement goes to an adjudicator who did not review it; the decision is audited', async () => {
    const { candidate, submissionId, reviewers, assignments } = await reviewedSubmission('split');
    await as(reviewers[0])
      .post(
        `/api/reviews/assignments/${assignments[0]}/review`,
        reviewBody('pass', () => true),
      )
      .expect(201);
    await as(reviewers[1])
      .post(
        `/api/reviews/assignments/${assignments[1]}/review`,
        reviewBody('revise', (d) => d !== 'D04', true),
      )
      .expect(201);
    // Once both have submitted, each sees the other's review.
    expect((await as(reviewers[0]).get(`/api/reviews/assignments/${assignments[0]}/reviews`).expect(200)).body).toHaveLength(2);
    await ctx.app.get(ConsolidateSubmissionJob).handle({ submissionId });
    expect((await ctx.dataSource.query(`SELECT status FROM portfolio_submissions WHERE id = $1`, [submissionId]))[0].status).toBe(
      'adjudication',
    );
    expect(await ctx.dataSource.query(`SELECT 1 FROM portfolio_decisions WHERE submission_id = $1`, [submissionId])).toHaveLength(0);

    const admin = await ctx.newAdmin();
    // The adjudicator's view: both reviews side by side, where they differ, and the evidence itself.
    const view = (await as(admin).get(`/api/admin/submissions/${submissionId}`).expect(200)).body;
    expect(view).toMatchObject({ submissionId, status: 'adjudication', candidate: 'Candidate split' });
    expect(view.recommendations).toEqual([
      { reviewer: 'Reviewer 1', recommendation: 'pass' },
      { reviewer: 'Reviewer 2', recommendation: 'revise' },
    ]);
    expect(view.criteria).toHaveLength(35);
    expect(view.criteria[0]).toMatchObject({
      criterion: 'D01.1',
      text: expect.stringMatching(/^Classification/),
      narrative: 'Evidence D01.1',
      scores: [
        { reviewer: 'Reviewer 1', score: 2, comment: null },
        { reviewer: 'Reviewer 2', score: 1, comment: 'Thin evidence for D01.1' },
      ],
      spread: 1,
    });
    expect(view.domains.filter((d: { split: boolean }) => d.split).map((d: { domain: string }) => d.domain)).toEqual(['D04']);
    await as(reviewers[0]).get(`/api/admin/submissions/${submissionId}`).expect(403);
    await as(admin).get(`/api/admin/submissions/00000000-0000-4000-8000-000000000000`).expect(404);
    await as(admin).post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'revise', reason: ' ' }).expect(400);
    const decided = await as(admin)
      .post(`/api/admin/submissions/${submissionId}/decision`, {
        outcome: 'revise',
        reason: 'D04 evidence does not show output validation',
      })
      .expect(200);
    expect(decided.body).toEqual({ outcome: 'revise', route: 'adjudication' });
    const feedback = (await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200)).body;
    expect(feedback.decision.outcome).toBe('revise');
    const window = new Date(feedback.decision.resubmitUntil).getTime() - Date.now();
    expect(window).toBeGreaterThan(89 * 86_400_000);
    expect(feedback.criteria.find((c: { criterion: string }) => c.criterion === 'D04.1').comments).toContain('Thin evidence for D04.1');

    const [audit] = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'portfolio.decided' AND subject_id = $1`,
      [submissionId],
    );
    expect(audit).toMatchObject({ actor_id: admin.id, data: { outcome: 'revise', route: 'adjudication' } });
    const other = await ctx.newCandidate();
    await as(other).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(404);

    // The candidate appeals within 30 days; the deciding admin may not handle it; another admin upholds it.
    await as(other).post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'Not mine' }).expect(404);
    const appeal = await as(candidate)
      .post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'D04 evidence is in the attached runbook, section 3' })
      .expect(201);
    await as(candidate).post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'Again' }).expect(409);
    expect((await as(admin).get('/api/admin/appeals').expect(200)).body.map((a: { id: string }) => a.id)).toContain(appeal.body.id);
    await as(admin).post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'x', newOutcome: 'pass' }).expect(403);
    await as(reviewers[0]).post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'x' }).expect(403);
    const otherAdmin = await ctx.newAdmin();
    await as(otherAdmin)
      .post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'The runbook evidences D04', newOutcome: 'pass' })
      .expect(200, { id: appeal.body.id, status: 'upheld' });
    const after = (await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200)).body;
    expect(after.decision.outcome).toBe('pass');
    expect(after.appeal).toMatchObject({ status: 'upheld', outcomeNote: 'The runbook evidences D04' });
    const events = await ctx.dataSource.query(`SELECT credential FROM credential_events WHERE source_id = $1`, [submissionId]);
    expect(events).toEqual([{ credential: 'CPAP' }]);
    const actions = await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = $1 ORDER BY id`, [submissionId]);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['portfolio.appeal_filed', 'portfolio.decision_overridden', 'portfolio.appeal_decided']),
    );
  });
});
