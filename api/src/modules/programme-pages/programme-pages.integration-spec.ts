import { TestContext, type TestUser } from '../../../test/test-app';

describe('public programme pages (HTTP, real PostgreSQL and Redis)', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
  });
  afterAll(async () => {
    await ctx.http
      .patch('/api/admin/exams/aida')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ timeLimitSeconds: 1800, passMarkPercent: 70, passMarkReason: 'restored after the test' });
    await ctx.close();
  });

  it('describes the three credentials to anyone, with the figures the platform itself holds', async () => {
    const res = await ctx.http.get('/api/public/programme').expect(200);
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.body.title).toBe('Certification in the Production Safety Framework');
    expect(res.body.attribution).toContain('CC BY 4.0');
    const [aida, cpap, cpaa] = res.body.credentials;
    expect([aida.code, cpap.code, cpaa.code]).toEqual(['AIDA', 'CPAP', 'CPAA']);
    // From credentials.yaml: names, validity and prerequisites, never typed twice.
    expect(aida).toMatchObject({
      name: 'PSF AIDA Examination Certificate',
      validityDays: 730,
      requires: [],
      fee: { amount: 0, currency: 'EUR' },
    });
    expect(cpap.requires).toEqual([{ code: 'AIDA', name: 'PSF AIDA Examination Certificate' }]);
    // From the exam's settings in force and the blueprint.
    expect(aida.facts).toEqual({ questionCount: 20, timeLimitMinutes: 30, passMarkPercent: 70, retakeCooldownDays: 7 });
    expect(aida.domains).toHaveLength(8);
    expect(cpap.domains.map((d: { code: string }) => d.code)).toEqual(['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07']);
    expect(cpap.facts).toEqual({ criteriaCount: 35, reviewDueDays: 14 });
    expect(cpaa.facts).toEqual({ criteriaCount: 40, reviewDueDays: 14, interviewMinutes: 90 });
  });

  it("follows an administrator's change of the exam settings at once, though the page is kept in memory for a minute", async () => {
    await ctx.http
      .patch('/api/admin/exams/aida')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ timeLimitSeconds: 2700, passMarkPercent: 75, passMarkReason: 'a new cut score for the test' })
      .expect(200);
    const res = await ctx.http.get('/api/public/programme').expect(200);
    expect(res.body.credentials[0].facts).toMatchObject({ timeLimitMinutes: 45, passMarkPercent: 75 });
  });

  it('answers 304 to a client that holds the current copy', async () => {
    const first = await ctx.http.get('/api/public/programme').expect(200);
    await ctx.http.get('/api/public/programme').set('If-None-Match', first.headers.etag).expect(304);
  });

  it('publishes the framework with its citations and version history', async () => {
    const res = await ctx.http.get('/api/framework').expect(200);
    expect(res.body.url).toBe('https://productionai.institute/standard');
    expect(res.body.citations.apa).toContain('Production AI Institute. (2024). Production Safety Framework (Version 1.0).');
    expect(res.body.citations.bibtex).toMatch(/^@misc\{/);
    expect(res.body.versions).toEqual([expect.objectContaining({ version: '1.0', year: 2024 })]);
  });
});
