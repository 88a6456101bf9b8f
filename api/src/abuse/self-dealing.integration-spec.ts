import { decodeJwt } from 'jose';
import { gunzipSync } from 'node:zlib';
import { TestContext, type TestUser } from '../../test/test-app';
import { IssueCertificateJob } from '../modules/certificates/jobs/issue-certificate.job';
import { IssueWithheldCertificatesJob } from '../modules/certificates/jobs/issue-withheld-certificates.job';
import { AssignReviewersJob, ConsolidateSubmissionJob } from '../modules/reviews/jobs/review-jobs';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const CPAP_DOMAINS = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];
const NOT_INDEPENDENT = { statusCode: 403, error: 'Forbidden', reason: 'not_independent', message: expect.any(String) };

/**
 * Abuse: an administrator who is also a candidate (or a reviewer of the case) tries to steer their own
 * assessment (architecture invariant 11), and certificates follow the decisions that issued them (invariant 12).
 */
describe('abuse: self-dealing is refused, and a certificate never outlives its decision (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  const tag = Date.now().toString(36);
  const as = (u: TestUser) => ctx.as(u);
  const sql = (text: string, params: unknown[] = []) => ctx.dataSource.query(text, params);

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  /** Another administrator gives the account these roles through the real endpoint; it enrols TOTP if new to staff and signs in again (a step-up). */
  async function grantRoles(u: TestUser, roles: string[]): Promise<TestUser> {
    await as(admin).put(`/api/admin/users/${u.id}/roles`, { roles }).expect(200);
    if (!u.totpSecret) await ctx.enrolTotp(u);
    return ctx.signIn(u);
  }

  /** The candidate's CPAP portfolio, submitted, offered to two fresh reviewers who accept it. */
  async function reviewedSubmission(candidate: TestUser, label: string) {
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
    for (const { criterion } of draft.evidence as Array<{ criterion: string }>) {
      await as(candidate)
        .put(`/api/portfolios/CPAP/evidence/${criterion}`, { narrative: `Evidence ${criterion}` })
        .expect(200);
    }
    await as(candidate).post('/api/portfolios/CPAP/evidence/D01.1/attachments').attach('file', PDF, 'dpia.pdf').expect(201);
    const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id as string;
    const reviewers: TestUser[] = [];
    for (const n of [1, 2]) {
      const r = await ctx.newUser('reviewer', { email: `r${n}-${label}-${tag}@rev${n}-${label}-${tag}.example` });
      await as(r)
        .put('/api/reviews/profile', { organisation: `Rev ${n} ${label} ${tag}`, expertise: CPAP_DOMAINS, maxConcurrent: 50, away: [] })
        .expect(200);
      reviewers.push(r);
    }
    // These two are the only reviewers available for this submission: everyone else is away.
    await sql(
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
    return { submissionId, reviewers, assignments };
  }

  const passingReview = {
    criterionScores: CPAP_DOMAINS.flatMap((d) => [1, 2, 3, 4, 5].map((i) => ({ criterion: `${d}.${i}`, score: 2 }))),
    domainJudgements: CPAP_DOMAINS.map((d) => ({ domain: d, met: true, comment: `${d} judged` })),
    recommendation: 'pass',
  };

  /** Both reviewers pass it, consolidation decides pass; the certificate is issued unless `issue` is false. Returns its number. */
  async function passedSubmission(candidate: TestUser, label: string, issue = true) {
    const reviewed = await reviewedSubmission(candidate, label);
    for (const [i, r] of reviewed.reviewers.entries()) {
      await as(r).post(`/api/reviews/assignments/${reviewed.assignments[i]}/review`, passingReview).expect(201);
    }
    await ctx.app.get(ConsolidateSubmissionJob).handle({ submissionId: reviewed.submissionId });
    expect(await decisionOf(reviewed.submissionId)).toBe('pass');
    const [event] = await sql(`SELECT id FROM credential_events WHERE source_id = $1 AND kind = 'passed'`, [reviewed.submissionId]);
    if (issue) await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: event.id });
    const certs = (await as(candidate).get('/api/certificates').expect(200)).body as Array<{ number: string; status: string }>;
    return { ...reviewed, eventId: event.id as string, number: certs[0]?.number };
  }

  const decisionOf = async (submissionId: string) =>
    ((await sql(`SELECT outcome FROM portfolio_decisions WHERE submission_id = $1`, [submissionId]))[0]?.outcome as string) ?? null;
  const publicStatus = async (number: string) => (await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body.status;

  /** The certificate's bit in the published status list, read as a verifier reads it (multibase or plain base64url, GZIP). */
  async function revokedInStatusList(number: string): Promise<boolean> {
    const credential = await ctx.http.get(`/api/public/certificates/${number}/credential`).expect(200);
    const status = decodeJwt(credential.text).credentialStatus as { statusListCredential: string; statusListIndex: string };
    const list = await ctx.http.get(new URL(status.statusListCredential).pathname).expect(200);
    const encoded = (decodeJwt(list.text).credentialSubject as { encodedList: string }).encodedList;
    const bits = gunzipSync(Buffer.from(encoded.replace(/^u/, ''), 'base64url'));
    const index = Number(status.statusListIndex);
    return (bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
  }

  it('an administrator who is also the candidate is refused every action on their own case (403 not_independent), and nothing changes', async () => {
    const dual = await grantRoles(await ctx.newCandidate(), ['candidate', 'admin']);
    const { submissionId, number } = await passedSubmission(dual, 'dual');
    expect(number).toBeDefined();
    const auditCount = async () => Number((await sql(`SELECT count(*) AS n FROM audit_log WHERE actor_id = $1`, [dual.id]))[0].n);

    // Decide or override their own submission.
    const decided = await as(dual)
      .post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'fail', reason: 'testing' })
      .expect(403);
    expect(decided.body).toEqual(NOT_INDEPENDENT);
    // Uphold their own appeal.
    const appeal = await as(dual)
      .post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'I deserve a distinction' })
      .expect(201);
    const before = await auditCount();
    const upheld = await as(dual)
      .post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'Agreed', newOutcome: 'revise' })
      .expect(403);
    expect(upheld.body).toMatchObject(NOT_INDEPENDENT);
    // Give themselves exam time.
    expect((await as(dual).put(`/api/admin/users/${dual.id}/accommodations`, { timeMultiplier: 3 }).expect(403)).body).toMatchObject(
      NOT_INDEPENDENT,
    );
    // Their own certificate: revoke, suspend, and reinstate once another admin has suspended it.
    for (const action of ['revoke', 'suspend']) {
      expect((await as(dual).post(`/api/admin/certificates/${number}/${action}`, { reason: 'mine' }).expect(403)).body).toMatchObject(
        NOT_INDEPENDENT,
      );
    }
    await as(admin).post(`/api/admin/certificates/${number}/suspend`, { reason: 'Under investigation' }).expect(200);
    expect((await as(dual).post(`/api/admin/certificates/${number}/reinstate`).expect(403)).body).toMatchObject(NOT_INDEPENDENT);
    expect(await publicStatus(number)).toBe('suspended');
    await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(200);
    // Their own name change.
    const change = await as(dual).post('/api/me/name-change', { name: 'Dual Renamed', reason: 'marriage' }).expect(201);
    await as(dual).post(`/api/admin/name-changes/${change.body.id}/approve`, {}).expect(403);
    await as(dual).post(`/api/admin/name-changes/${change.body.id}/refuse`, { note: 'no' }).expect(403);
    // Their own account and roles.
    for (const action of ['deactivate', 'reactivate', 'force-password-reset']) {
      const res = await as(dual).post(`/api/admin/users/${dual.id}/${action}`, { reason: 'mine' });
      expect([action, res.status, res.body.reason]).toEqual([action, 403, 'not_independent']);
    }
    const roles = await as(dual)
      .put(`/api/admin/users/${dual.id}/roles`, { roles: ['candidate', 'admin', 'reviewer'] })
      .expect(403);
    expect(roles.body).toMatchObject(NOT_INDEPENDENT);

    // Nothing changed: decision, appeal, accommodation, certificate, name change, account and roles as they were; nothing audited.
    expect(await decisionOf(submissionId)).toBe('pass');
    expect((await sql(`SELECT status FROM portfolio_appeals WHERE id = $1`, [appeal.body.id]))[0].status).toBe('open');
    expect(await sql(`SELECT 1 FROM accommodations WHERE user_id = $1`, [dual.id])).toHaveLength(0);
    expect(await publicStatus(number)).toBe('active');
    expect((await sql(`SELECT status FROM name_change_requests WHERE id = $1`, [change.body.id]))[0].status).toBe('pending');
    const [account] = await sql(`SELECT roles, deactivated_at, full_name FROM users WHERE id = $1`, [dual.id]);
    expect(account).toEqual({ roles: ['candidate', 'admin'], deactivated_at: null, full_name: 'Test candidate' });
    await as(dual).get('/api/me').expect(200);
    expect(await auditCount()).toBe(before + 1); // only their own name change request, which is theirs to make
  });

  it('a reviewer of the submission who is made an administrator can neither decide it nor the appeal against it', async () => {
    const candidate = await ctx.newCandidate();
    const { submissionId, reviewers } = await passedSubmission(candidate, 'rvw', false);
    const reviewerAdmin = await grantRoles(reviewers[0], ['reviewer', 'admin']);
    const override = await as(reviewerAdmin)
      .post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'fail', reason: 'second thoughts' })
      .expect(403);
    expect(override.body).toMatchObject(NOT_INDEPENDENT);
    const appeal = await as(candidate)
      .post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'Please look again' })
      .expect(201);
    await as(reviewerAdmin).post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: false, note: 'No' }).expect(403);
    // Nor may they act on the candidate's other affairs: exam time, for one.
    await as(reviewerAdmin).put(`/api/admin/users/${candidate.id}/accommodations`, { timeMultiplier: 1.5 }).expect(403);
    expect(await decisionOf(submissionId)).toBe('pass');
    expect((await sql(`SELECT status FROM portfolio_appeals WHERE id = $1`, [appeal.body.id]))[0].status).toBe('open');
    // The administrator who overrides a decision may not decide the appeal against their own override.
    const decider = await ctx.newAdmin();
    await as(decider).post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'revise', reason: 'D04 is thin' }).expect(200);
    await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200);
    const own = await as(decider).post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: false, note: 'Mine stands' }).expect(403);
    expect(own.body).toMatchObject(NOT_INDEPENDENT);
    await as(admin).post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: false, note: 'The decision stands' }).expect(200);
  });

  it('a pass overridden to fail revokes its certificate at once (verification, status list, audit); revocation is final', async () => {
    const candidate = await ctx.newCandidate();
    const { submissionId, number } = await passedSubmission(candidate, 'ovr');
    expect(await publicStatus(number)).toBe('active');
    expect(await revokedInStatusList(number)).toBe(false);

    const decider = await ctx.newAdmin();
    await as(decider)
      .post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'fail', reason: 'The evidence was fabricated' })
      .expect(200, { outcome: 'fail', route: 'override' });
    expect(await publicStatus(number)).toBe('revoked');
    expect(await revokedInStatusList(number)).toBe(true);
    const [cert] = await sql(`SELECT id, status_reason FROM certificates WHERE number = $1`, [number]);
    expect(cert.status_reason).toBe('decision_changed');
    const [entry] = await sql(`SELECT actor_id, data FROM audit_log WHERE action = 'certificate.revoked' AND subject_id = $1`, [cert.id]);
    expect(entry).toMatchObject({
      actor_id: decider.id,
      data: {
        number,
        to: 'revoked',
        reason: 'decision_changed',
        decision: { outcome: 'fail', previousOutcome: 'pass', route: 'override' },
      },
    });

    // Revocation is final: reinstating (or suspending) answers 409 and the certificate stays revoked everywhere.
    await as(admin).post(`/api/admin/certificates/${number}/reinstate`).expect(409);
    await as(admin).post(`/api/admin/certificates/${number}/suspend`, { reason: 'x' }).expect(409);
    expect(await publicStatus(number)).toBe('revoked');
    expect(await revokedInStatusList(number)).toBe(true);
    expect((await as(candidate).get('/api/certificates').expect(200)).body[0].status).toBe('revoked');
  });

  it('an appeal that turns a pass into a fail revokes the certificate too', async () => {
    const candidate = await ctx.newCandidate();
    const { submissionId, number } = await passedSubmission(candidate, 'apl');
    const appeal = await as(candidate).post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'Recheck D02' }).expect(201);
    await as(admin)
      .post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'Recheck found plagiarism', newOutcome: 'fail' })
      .expect(200, { id: appeal.body.id, status: 'upheld' });
    expect(await decisionOf(submissionId)).toBe('fail');
    expect(await publicStatus(number)).toBe('revoked');
    expect(await revokedInStatusList(number)).toBe(true);
  });

  it('a pass overridden to fail and restored on appeal gets a successor certificate with the same dates; the revoked one names it', async () => {
    const candidate = await ctx.newCandidate();
    const { submissionId, number, eventId } = await passedSubmission(candidate, 'rst');
    const decider = await ctx.newAdmin();
    await as(decider).post(`/api/admin/submissions/${submissionId}/decision`, { outcome: 'fail', reason: 'Evidence doubted' }).expect(200);
    expect(await publicStatus(number)).toBe('revoked');
    const appeal = await as(candidate)
      .post(`/api/portfolios/submissions/${submissionId}/appeal`, { grounds: 'The evidence is mine' })
      .expect(201);
    await as(admin)
      .post(`/api/admin/appeals/${appeal.body.id}/outcome`, { upheld: true, note: 'The evidence checks out', newOutcome: 'pass' })
      .expect(200);
    expect(await decisionOf(submissionId)).toBe('pass');

    // The pass stands again: its issue job (queued by the restored pass) runs, twice as a redelivery would.
    const queued = await sql(`SELECT 1 FROM outbox WHERE job_name = 'issue-certificate' AND payload->>'credentialEventId' = $1`, [eventId]);
    expect(queued.length).toBeGreaterThanOrEqual(2);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: eventId });
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: eventId });
    const mine = (await as(candidate).get('/api/certificates').expect(200)).body as Array<{ number: string; status: string }>;
    expect(mine.map((c) => c.status).sort()).toEqual(['active', 'revoked']);
    const successor = mine.find((c) => c.status === 'active')!.number;
    expect(successor).not.toBe(number);
    const [old, now] = await Promise.all(
      [number, successor].map(
        async (n) => (await sql(`SELECT id, issued_at, expires_at, credential_jwt FROM certificates WHERE number = $1`, [n]))[0],
      ),
    );
    expect([now.issued_at, now.expires_at]).toEqual([old.issued_at, old.expires_at]);
    expect(now.credential_jwt).toEqual(expect.any(String));
    expect(await publicStatus(successor)).toBe('active');
    expect(await revokedInStatusList(successor)).toBe(false);
    // The revoked one stays revoked (its bit set) and its public record names the successor.
    const oldRecord = (await ctx.http.get(`/api/public/certificates/${number}`).expect(200)).body;
    expect(oldRecord).toMatchObject({ status: 'revoked', supersededBy: successor });
    expect(await revokedInStatusList(number)).toBe(true);
    const [issued] = await sql(`SELECT data FROM audit_log WHERE action = 'certificate.issued' AND subject_id = $1`, [now.id]);
    expect(issued.data).toMatchObject({ supersedes: number, reason: 'pass_reinstated', credentialEventId: eventId });
  });

  it('a pass changed to fail before its certificate was issued never issues one, and a deactivated candidate receives none', async () => {
    const changed = await ctx.newCandidate();
    const pending = await passedSubmission(changed, 'pnd', false);
    await as(admin)
      .post(`/api/admin/submissions/${pending.submissionId}/decision`, { outcome: 'fail', reason: 'Audit found a gap' })
      .expect(200);
    // The issue-certificate job queued with the pass runs late: it reads that the pass no longer stands.
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: pending.eventId });
    expect((await as(changed).get('/api/certificates').expect(200)).body).toEqual([]);
    expect(await sql(`SELECT 1 FROM certificates WHERE source_id = $1`, [pending.submissionId])).toHaveLength(0);

    const leaver = await ctx.newCandidate();
    const passed = await passedSubmission(leaver, 'dea', false);
    await as(admin).post(`/api/admin/users/${leaver.id}/deactivate`, { reason: 'Left the programme' }).expect(200);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: passed.eventId });
    expect(await sql(`SELECT 1 FROM certificates WHERE user_id = $1`, [leaver.id])).toHaveLength(0);
    const [withheld] = await sql(`SELECT data FROM audit_log WHERE action = 'certificate.withheld' AND subject_id = $1`, [leaver.id]);
    expect(withheld.data).toMatchObject({ credentialEventId: passed.eventId, reason: 'account_deactivated' });

    // Reactivated, the holder receives what was withheld: the reactivation queues the certificates module's job,
    // which queues the pass for issue again.
    await as(admin).post(`/api/admin/users/${leaver.id}/reactivate`, { reason: 'Rejoined the programme' }).expect(200);
    const [queued] = await sql(`SELECT payload FROM outbox WHERE job_name = 'issue-withheld-certificates' AND payload->>'userId' = $1`, [
      leaver.id,
    ]);
    expect(queued).toBeDefined();
    await ctx.app.get(IssueWithheldCertificatesJob).handle({ userId: leaver.id });
    const requeued = await sql(`SELECT 1 FROM outbox WHERE job_name = 'issue-certificate' AND payload->>'credentialEventId' = $1`, [
      passed.eventId,
    ]);
    expect(requeued.length).toBeGreaterThanOrEqual(2); // the pass's own, and the one queued on reactivation
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: passed.eventId });
    expect(await sql(`SELECT 1 FROM certificates WHERE user_id = $1 AND status = 'active'`, [leaver.id])).toHaveLength(1);
  });
});
