import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { eventually, TestContext, type TestUser } from '../../../test/test-app';
import { OwnDatabase } from '../../../test/own-database';
import { WorkerModule } from '../../app.module';
import { JobWorker } from '../../infrastructure/queue/job-worker';
import { OutboxRelay } from '../../infrastructure/queue/outbox-relay';

/** The review workflow driven end to end by the real worker: outbox → relay → Redis → processors. */
describe('review workflow through the real worker, Redis and PostgreSQL', () => {
  let ctx: TestContext;
  // Its own database: its worker would otherwise first work through every job earlier suites left in the shared one.
  let own: OwnDatabase;
  let worker: INestApplicationContext;
  const tag = Date.now().toString(36);
  const as = (u: TestUser) => ctx.as(u);

  beforeAll(async () => {
    own = await OwnDatabase.use('reviewworker');
    ctx = await TestContext.create();
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
  }, 30_000);
  afterAll(async () => {
    await worker.get(OutboxRelay).stop();
    await worker.get(JobWorker).stop();
    await worker.close();
    await ctx.close();
    await own.release();
  });

  it('a submit is offered to two reviewers, a decline is re-offered, and two agreeing reviews become a decision and a certificate', async () => {
    await ctx.dataSource.query(
      `INSERT INTO reviewer_profiles (user_id, away) SELECT id, '[{"from":"2000-01-01","to":"2999-01-01"}]'::jsonb FROM users WHERE 'reviewer' = ANY(roles)
       ON CONFLICT (user_id) DO UPDATE SET away = EXCLUDED.away`,
    );
    const candidate = await ctx.newUser('candidate', { email: `w-${tag}@cand-w-${tag}.example` });
    const reviewers: TestUser[] = [];
    for (const n of [1, 2, 3]) {
      const r = await ctx.newUser('reviewer', { email: `w${n}-${tag}@rev-w${n}-${tag}.example` });
      await as(r)
        .put('/api/reviews/profile', {
          organisation: `W${n}`,
          expertise: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'],
          maxConcurrent: 5,
          away: [],
        })
        .expect(200);
      reviewers.push(r);
    }
    await ctx.passAida(candidate);
    const draft = (await as(candidate).get('/api/portfolios/CPAP').expect(200)).body;
    await as(candidate)
      .put('/api/portfolios/CPAP/context', { system: 'S', organisation: 'Cand Org', modelsUsed: 'M', usersAffected: 'U', riskLevel: 'low' })
      .expect(200);
    await ctx.dataSource.query(
      `INSERT INTO portfolio_evidence (portfolio_id, criterion, narrative) SELECT $1, c, 'Evidence ' || c FROM unnest($2::text[]) c`,
      [draft.id, draft.evidence.map((e: { criterion: string }) => e.criterion)],
    );
    const submissionId = (await as(candidate).post('/api/portfolios/CPAP/submit').expect(201)).body.id;

    const offersFor = async () => {
      const all: Array<{ r: TestUser; id: string; status: string }> = [];
      for (const r of reviewers) {
        for (const a of (await as(r).get('/api/reviews/assignments').expect(200)).body)
          if (a.submissionId === submissionId) all.push({ r, id: a.id, status: a.status });
      }
      return all;
    };
    const first = await eventually(async () => ((await offersFor()).length === 2 ? offersFor() : null), 'two offers');
    await as(first[0].r).post(`/api/reviews/assignments/${first[0].id}/decline`, { reason: 'On leave' }).expect(200);
    const next = await eventually(async () => {
      const o = (await offersFor()).filter((x) => x.status === 'offered' || x.status === 'accepted');
      return o.length === 2 && o.every((x) => x.r !== first[0].r) ? o : null;
    }, 'a replacement offer');

    const body = {
      criterionScores: draft.evidence.map((e: { criterion: string }) => ({ criterion: e.criterion, score: 3 })),
      domainJudgements: ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'].map((d) => ({ domain: d, met: true })),
      recommendation: 'pass',
    };
    for (const o of next) {
      await as(o.r).post(`/api/reviews/assignments/${o.id}/accept`).expect(200);
      await as(o.r).post(`/api/reviews/assignments/${o.id}/review`, body).expect(201);
    }
    await eventually(
      async () =>
        (await as(candidate).get(`/api/portfolios/submissions/${submissionId}/feedback`).expect(200)).body.decision?.outcome === 'pass',
      'the decision',
    );
    // The candidate's AIDA pass (the portfolio's prerequisite) has its own certificate from the same worker.
    const cpap = await eventually(async () => {
      const list = (await as(candidate).get('/api/certificates').expect(200)).body as Array<{ credential: { code: string } }>;
      return list.find((c) => c.credential.code === 'CPAP') ?? null;
    }, 'the CPAP certificate');
    expect(cpap.credential.code).toBe('CPAP');
  }, 60_000);
});
