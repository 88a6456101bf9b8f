import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { TestContext, type TestUser } from '../../../test/test-app';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1024, 7)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);

describe('CPAP/CPAA portfolio drafts, evidence and attachments (real PostgreSQL, real file storage)', () => {
  let ctx: TestContext;
  let candidate: TestUser;
  const filesDir = () => path.join(process.env.DATA_DIR!, 'files', 'portfolios');
  const countFiles = (dir: string): number =>
    existsSync(dir)
      ? readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? countFiles(path.join(dir, e.name)) : 1), 0)
      : 0;
  const as = (u: TestUser) => ctx.as(u);

  beforeAll(async () => {
    ctx = await TestContext.create();
    candidate = await ctx.newCandidate();
  });
  afterAll(() => ctx.close());

  it('gives the dashboard an overview of both portfolios without opening a draft', async () => {
    const newcomer = await ctx.newCandidate();
    const before = await as(newcomer).get('/api/portfolios').expect(200);
    expect(before.body).toEqual([
      { credential: 'CPAP', opensAfter: ['AIDA'], started: false, criteria: 35, written: 0, latestSubmission: null, updatedAt: null },
      { credential: 'CPAA', opensAfter: ['AIDA'], started: false, criteria: 40, written: 0, latestSubmission: null, updatedAt: null },
    ]);
    await ctx.passAida(newcomer);
    expect((await as(newcomer).get('/api/portfolios').expect(200)).body[0]).toMatchObject({ opensAfter: [], started: false });
    await as(newcomer).get('/api/portfolios/CPAP').expect(200);
    await as(newcomer).put('/api/portfolios/CPAP/evidence/D01.1', { narrative: 'Every data type is classified.' }).expect(200);
    await as(newcomer).put('/api/portfolios/CPAP/evidence/D01.2', { narrative: '   ' }).expect(200);
    const [cpap, cpaa] = (await as(newcomer).get('/api/portfolios').expect(200)).body;
    expect(cpap).toMatchObject({ started: true, written: 1, latestSubmission: null });
    expect(cpap.updatedAt).toEqual(expect.any(String));
    expect(cpaa).toMatchObject({ opensAfter: [], started: false });
    const reviewer = await ctx.newUser('reviewer');
    await as(reviewer).get('/api/portfolios').expect(403);
  });

  it('opens only after AIDA is passed, with every criterion of the credential', async () => {
    const refused = await as(candidate).get('/api/portfolios/CPAP').expect(409);
    expect(refused.body.message).toMatch(/passed the AIDA examination/);
    await ctx.passAida(candidate);
    const cpap = await as(candidate).get('/api/portfolios/CPAP').expect(200);
    expect(cpap.body.evidence).toHaveLength(35);
    expect(cpap.body.evidence[0]).toMatchObject({ criterion: 'D01.1', narrative: '', attachments: [] });
    expect(cpap.body.evidence.some((e: { criterion: string }) => e.criterion.startsWith('D08'))).toBe(false);
    expect((await as(candidate).get('/api/portfolios/CPAA').expect(200)).body.evidence).toHaveLength(40);
    await as(candidate).get('/api/portfolios/AIDA').expect(404);
  });

  it('autosaves the context and narratives; refuses unknown fields and criteria', async () => {
    const ctxRes = await as(candidate)
      .put('/api/portfolios/CPAP/context', { system: 'Claims triage assistant', organisation: 'Acme Mutual', riskLevel: 'high' })
      .expect(200);
    expect(ctxRes.body.context).toEqual({ system: 'Claims triage assistant', organisation: 'Acme Mutual', riskLevel: 'high' });
    await as(candidate).put('/api/portfolios/CPAP/context', { riskLevel: 'extreme' }).expect(400);
    await as(candidate).put('/api/portfolios/CPAP/context', { owner: 'x' }).expect(400);
    const saved = await as(candidate)
      .put('/api/portfolios/CPAP/evidence/D04.2', { narrative: 'Every output is schema-validated.' })
      .expect(200);
    expect(saved.body.evidence.find((e: { criterion: string }) => e.criterion === 'D04.2').narrative).toBe(
      'Every output is schema-validated.',
    );
    await as(candidate).put('/api/portfolios/CPAP/evidence/D08.1', { narrative: 'x' }).expect(404);
    await as(candidate).put('/api/portfolios/CPAP/evidence/D04.2', { narrative: 42 }).expect(400);
  });

  it('stores a real PDF and serves it only as a download to its owner or an admin', async () => {
    const res = await as(candidate)
      .post('/api/portfolios/CPAP/evidence/D04.2/attachments')
      .attach('file', PDF, 'validation-runbook.pdf')
      .expect(201);
    expect(res.body).toMatchObject({
      criterion: 'D04.2',
      fileName: 'validation-runbook.pdf',
      mediaType: 'application/pdf',
      sizeBytes: PDF.length,
    });
    const download = await as(candidate).get(`/api/attachments/${res.body.id}`).expect(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toBe('attachment; filename="validation-runbook.pdf"');
    expect(download.headers['content-security-policy']).toContain('sandbox');
    const other = await ctx.newCandidate();
    await as(other).get(`/api/attachments/${res.body.id}`).expect(404);
    const reviewer = await ctx.newUser('reviewer');
    await as(reviewer).get(`/api/attachments/${res.body.id}`).expect(404);
    const admin = await ctx.newAdmin();
    await as(admin).get(`/api/attachments/${res.body.id}`).expect(200);
  });

  it('refuses a renamed executable, a wrong type, markup and an oversized file with a clear 4xx, storing nothing', async () => {
    const rows = async () => (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM portfolio_attachments`))[0].n;
    const beforeRows = await rows();
    const beforeFiles = countFiles(filesDir());
    const upload = (data: Buffer, name: string) =>
      as(candidate).post('/api/portfolios/CPAP/evidence/D04.2/attachments').attach('file', data, name);

    const exe = await upload(EXE, 'evidence.pdf').expect(400);
    expect(exe.body.message).toBe('"evidence.pdf" is an executable program; evidence must be PDF, PNG, JPEG, Markdown or plain text');
    expect((await upload(PNG, 'chart.pdf').expect(400)).body.message).toMatch(/is a image\/png file but is named "chart.pdf"/);
    expect((await upload(Buffer.from('<html><script>x</script></html>'), 'notes.txt').expect(400)).body.message).toMatch(/HTML/);
    const big = await upload(Buffer.concat([PDF, Buffer.alloc(20 * 1_048_576)]), 'huge.pdf').expect(413);
    expect(big.body).toMatchObject({ statusCode: 413 });
    await as(candidate).post('/api/portfolios/CPAP/evidence/D04.2/attachments').expect(400);

    expect(await rows()).toBe(beforeRows);
    expect(countFiles(filesDir())).toBe(beforeFiles);
  });

  it('submits a complete portfolio as an immutable version; the draft is read-only under review and opens again after a revise', async () => {
    const incomplete = await as(candidate).post('/api/portfolios/CPAP/submit').expect(400);
    expect(incomplete.body.message).toMatch(/complete the deployment context \(modelsUsed, usersAffected\)/);
    expect(incomplete.body.message).toMatch(/write a narrative for 34 criteria/);

    await as(candidate)
      .put('/api/portfolios/CPAP/context', { modelsUsed: 'A hosted LLM behind our gateway', usersAffected: '40,000 policyholders' })
      .expect(200);
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    for (const e of draft.evidence) {
      await as(candidate)
        .put(`/api/portfolios/CPAP/evidence/${e.criterion}`, { narrative: `How we meet ${e.criterion}.` })
        .expect(200);
    }
    const v1 = await as(candidate).post('/api/portfolios/CPAP/submit').expect(201);
    expect(v1.body).toMatchObject({ version: 1, status: 'submitted' });

    // Under review: what the reviewers read stays what the candidate sees; every change is refused and writes nothing.
    const refused = await as(candidate).put('/api/portfolios/CPAP/evidence/D01.1', { narrative: 'Rewritten during review.' }).expect(409);
    expect(refused.body.message).toMatch(/Version 1 is under review/);
    await as(candidate).put('/api/portfolios/CPAP/context', { system: 'Another system' }).expect(409);
    await as(candidate).post('/api/portfolios/CPAP/evidence/D01.1/attachments').attach('file', PDF, 'late.pdf').expect(409);
    const attached = draft.evidence.find((e: { criterion: string }) => e.criterion === 'D04.2').attachments[0];
    await as(candidate).delete(`/api/attachments/${attached.id}`).expect(409);
    const underReview = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    expect(underReview).toMatchObject({ editable: false, lockedReason: expect.stringMatching(/under review/) });
    expect(underReview.evidence[0].narrative).toBe('How we meet D01.1.');
    expect(underReview.limits).toEqual({
      maxAttachmentBytes: 20 * 1_048_576,
      maxAttachments: 30,
      maxPortfolioBytes: expect.any(Number),
      fileTypes: expect.arrayContaining(['.pdf', '.png']),
    });
    const [frozen] = await ctx.dataSource.query(`SELECT content FROM portfolio_submissions WHERE id = $1`, [v1.body.id]);
    expect(frozen.content.evidence[0]).toMatchObject({ criterion: 'D01.1', narrative: 'How we meet D01.1.' });
    expect(frozen.content.evidence.find((e: { criterion: string }) => e.criterion === 'D04.2').attachments).toHaveLength(1);
    await expect(
      ctx.dataSource.query(`UPDATE portfolio_submissions SET content = '{}'::jsonb WHERE id = $1`, [v1.body.id]),
    ).rejects.toThrow(/immutable/);
    // While version 1 is under review there is no second version.
    expect((await as(candidate).post('/api/portfolios/CPAP/submit').expect(409)).body.message).toMatch(/under review/);
    // After a decision to revise, a new version can be submitted inside the resubmission window…
    await ctx.dataSource.query(
      `INSERT INTO portfolio_decisions (submission_id, outcome, route, reason, resubmit_until) VALUES ($1, 'revise', 'consensus', 'test', now() + interval '90 days')`,
      [v1.body.id],
    );
    expect((await as(candidate).get('/api/portfolios/CPAP').expect(200)).body).toMatchObject({ editable: true, lockedReason: null });
    await as(candidate).put('/api/portfolios/CPAP/evidence/D01.1', { narrative: 'Rewritten after feedback.' }).expect(200);
    const v2 = await as(candidate).post('/api/portfolios/CPAP/submit').expect(201);
    expect(v2.body.version).toBe(2);
    // …and not after the window closes.
    await ctx.dataSource.query(
      `INSERT INTO portfolio_decisions (submission_id, outcome, route, reason, resubmit_until) VALUES ($1, 'revise', 'consensus', 'test', now() - interval '1 day')`,
      [v2.body.id],
    );
    expect((await as(candidate).post('/api/portfolios/CPAP/submit').expect(409)).body.message).toMatch(/resubmission window closed/);
    expect((await as(candidate).get('/api/portfolios/CPAP').expect(200)).body.lockedReason).toBe('The resubmission window has closed');
    const listed = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body.submissions;
    expect(listed.map((s: { version: number }) => s.version)).toEqual([2, 1]);
    // Each version as it was frozen, linked to the one before it, for the candidate alone.
    const second = (await as(candidate).get(`/api/portfolios/submissions/${v2.body.id}/content`).expect(200)).body;
    expect(second).toMatchObject({ version: 2, previousSubmissionId: v1.body.id, context: { riskLevel: 'high' } });
    expect(second.evidence[0]).toMatchObject({
      criterion: 'D01.1',
      narrative: 'Rewritten after feedback.',
      text: expect.stringMatching(/^Classification/),
    });
    const first = (await as(candidate).get(`/api/portfolios/submissions/${v1.body.id}/content`).expect(200)).body;
    expect(first).toMatchObject({ version: 1, previousSubmissionId: null });
    expect(first.evidence[0].narrative).toBe('How we meet D01.1.');
    const stranger = await ctx.newCandidate();
    await as(stranger).get(`/api/portfolios/submissions/${v1.body.id}/content`).expect(404);
  });
});
