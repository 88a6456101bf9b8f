import * as path from 'node:path';
import { OwnDatabase } from '../../../../test/own-database';
import { TestContext, type TestUser } from '../../../../test/test-app';
import { BankSyncService } from '../../question-bank/bank-sync.service';
import { ProgrammeCatalogue } from '../../programme/programme-catalogue';
import { UsersService } from '../../users/users.service';
import { ExamsService } from '../exams.service';
import { ExamAnalysisService } from './exam-analysis.service';
import {
  DEFAULT_SIMULATION,
  ExamSimulator,
  HttpTransport,
  recoveryReport,
  ServiceTransport,
  type SimulationOptions,
} from './exam-simulator';

const REAL_BANK = path.resolve(__dirname, '../../../../../question-bank');

describe('AIDA item analysis on simulated candidates (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;

  // Thousands of simulated accounts, attempts and their outbox rows would sit in front of other
  // suites' jobs in the run's shared database: this suite gets a database and a Redis prefix of its own.
  let own: OwnDatabase;

  beforeAll(async () => {
    own = await OwnDatabase.use('sim');
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    admin = await ctx.newAdmin();
  });
  afterAll(async () => {
    await ctx.close();
    await own.release();
  });

  const asAdmin = (url: string) => ctx.http.get(url).set('Authorization', `Bearer ${admin.accessToken}`);

  async function accounts(prefix: string, n: number) {
    const password = `simulated-${prefix}-password`;
    const users = await ctx.app.get(UsersService).createMany(
      Array.from({ length: n }, (_, i) => ({ email: `${prefix}-${i}@simulation.invalid`, fullName: `Simulated ${prefix} ${i}` })),
      password,
      null,
    );
    return { users, password };
  }

  it('recovers the planted item difficulties (Spearman ≥ 0.9) and the model KR-20 (± 0.05) from 2,000 simulated candidates', async () => {
    const options: SimulationOptions = {
      ...DEFAULT_SIMULATION,
      candidates: 2000,
      testWiseShare: 0,
      difItems: 0,
      concurrency: 16,
      seed: 4242,
    };
    const { users, password } = await accounts('recovery', options.candidates);
    const transport = new ServiceTransport(
      ctx.app.get(ExamsService),
      ctx.app.get(ExamAnalysisService),
      new Map(
        users.map((u) => [
          u.email,
          { id: u.id, email: u.email, fullName: u.fullName, roles: u.roles, emailVerified: true, sessionFamilyId: '' },
        ]),
      ),
    );
    const simulator = new ExamSimulator(transport, ctx.dataSource, ctx.app.get(ProgrammeCatalogue).framework, options);
    const result = await simulator.run(users.map((u) => ({ email: u.email, password })));
    expect(result.errors).toBe(0);
    const analysis = (await ctx.http.get('/api/admin/exams/aida/analysis').set('Authorization', `Bearer ${admin.accessToken}`).expect(200))
      .body;
    const recovery = recoveryReport(result, analysis, options.abilityMean);
    process.stdout.write(`simulation recovery: ${JSON.stringify({ ...recovery, seconds: result.seconds })}\n`);
    expect(analysis.scores.n).toBe(2000);
    expect(recovery.itemsCompared).toBeGreaterThanOrEqual(240);
    expect(recovery.difficultyRankCorrelation!).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(recovery.kr20Observed! - recovery.kr20Population)).toBeLessThanOrEqual(0.05);
    // The console's other figures hang together: SEM from SD and KR-20, decision consistency at the cut.
    expect(analysis.reliability.sem).toBeCloseTo(analysis.scores.sd * Math.sqrt(1 - analysis.reliability.kr20), 6);
    expect(analysis.reliability.decisionAgreement).toBeGreaterThan(0.5);
    expect(analysis.scores.histogram.reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    // Pretest items gathered statistics too, without counting towards any result.
    const pretest = analysis.items.filter((i: { role: string }) => i.role === 'pretest');
    expect(pretest.length).toBeGreaterThanOrEqual(10);
    expect(pretest.every((i: { n: number }) => i.n >= 100)).toBe(true);
  }, 600_000);

  it('serves the analysis, its CSV exports and DIF through the admin API; candidates declare attributes optionally', async () => {
    // Candidates sit through the HTTP API itself here (the simulator's transport for npm run exam:simulate).
    await ctx.app.listen(0, '127.0.0.1');
    const { port } = ctx.app.getHttpServer().address() as { port: number };
    const { users, password } = await accounts('http', 24);
    const http = new HttpTransport(`http://127.0.0.1:${port}`);
    const options = { ...DEFAULT_SIMULATION, candidates: 24, concurrency: 4, seed: 7 };
    const result = await new ExamSimulator(http, ctx.dataSource, ctx.app.get(ProgrammeCatalogue).framework, options).run(
      users.map((u) => ({ email: u.email, password })),
    );
    expect(result.errors).toBe(0);
    expect(http.requests).toBe(24 * 26);

    const analysis = (await asAdmin('/api/admin/exams/aida/analysis?window=all').expect(200)).body;
    expect(analysis.window).toBeNull();
    expect(analysis.windows.filter((w: { current: boolean }) => w.current)).toHaveLength(1);
    const item = analysis.items[0];
    expect(Object.keys(item).sort()).toEqual(
      [
        'criterion',
        'current',
        'difficulty',
        'domain',
        'exposure',
        'facility',
        'flags',
        'itemId',
        'n',
        'omitted',
        'options',
        'pointBiserial',
        'role',
        'status',
        'stem',
        'upperLower',
        'version',
        'versionId',
      ].sort(),
    );
    expect(item.options.filter((o: { key: boolean }) => o.key)).toHaveLength(1);

    const csv = await asAdmin('/api/admin/exams/aida/analysis/items.csv?window=all').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="aida-item-analysis.csv"');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^item_id,version,current,domain,criterion,difficulty,status,role,n,facility,point_biserial/);
    expect(lines).toHaveLength(analysis.items.length + 1);
    const scores = await asAdmin('/api/admin/exams/aida/analysis/scores.csv?window=all').expect(200);
    expect(scores.text).toMatch(/^score,attempts,passes\r\n0,/);

    const dif = (
      await asAdmin(
        '/api/admin/exams/aida/analysis/dif?window=all&attribute=firstLanguage&reference=english&focal=other&minGroup=20',
      ).expect(200)
    ).body;
    expect(dif.referenceCandidates + dif.focalCandidates).toBeGreaterThanOrEqual(24);
    expect(dif.items.length).toBe(analysis.items.length);
    await asAdmin('/api/admin/exams/aida/analysis/dif.csv?window=all&attribute=firstLanguage&reference=english&focal=other').expect(200);

    // Bad input: a clear 400 (or 404), never a 500.
    await asAdmin('/api/admin/exams/aida/analysis?window=last-year').expect(400);
    await asAdmin('/api/admin/exams/aida/analysis?window=00000000-0000-4000-8000-000000000000').expect(404);
    await asAdmin('/api/admin/exams/aida/analysis/dif?attribute=shoeSize&reference=a&focal=b').expect(400);
    await asAdmin('/api/admin/exams/aida/analysis/dif?attribute=firstLanguage&reference=english&focal=english').expect(400);
    await asAdmin('/api/admin/exams/aida/analysis/dif?attribute=firstLanguage&reference=english&focal=klingon').expect(400);
    await asAdmin('/api/admin/exams/aida/analysis/dif?attribute=firstLanguage&reference=english&focal=other&minGroup=5').expect(400);

    // Only admins see any of it.
    const candidate = await ctx.newCandidate();
    await ctx.as(candidate).get('/api/admin/exams/aida/analysis').expect(403);
    // A candidate declares, changes and withdraws; a value outside the list changes nothing.
    expect((await ctx.as(candidate).get('/api/me/attributes').expect(200)).body).toEqual({ firstLanguage: null, experience: null });
    await ctx.as(candidate).put('/api/me/attributes', { firstLanguage: 'other', experience: '2-5' }).expect(200);
    await ctx.as(candidate).put('/api/me/attributes', { firstLanguage: 'martian' }).expect(400);
    await ctx.as(candidate).put('/api/me/attributes', { shoeSize: 44 }).expect(400);
    expect((await ctx.as(candidate).get('/api/me/attributes').expect(200)).body).toEqual({ firstLanguage: 'other', experience: '2-5' });
    const withdrawn = await ctx.as(candidate).put('/api/me/attributes', { experience: null }).expect(200);
    expect(withdrawn.body).toEqual({ firstLanguage: 'other', experience: null });
    await ctx.as(admin).get('/api/me/attributes').expect(403);
  }, 120_000);
});
