import * as path from 'node:path';
import { TestContext, type TestUser } from '../../../../test/test-app';
import { BankSyncService } from '../../question-bank/bank-sync.service';

const REAL_BANK = path.resolve(__dirname, '../../../../../question-bank');

describe('modified-Angoff standard setting (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let raters: TestUser[];

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    admin = await ctx.newAdmin();
    raters = [await ctx.newUser('reviewer'), await ctx.newUser('reviewer'), await ctx.newUser('reviewer')];
  });
  afterAll(async () => {
    await ctx.http
      .patch('/api/admin/exams/aida')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .send({ passMarkPercent: 70, passMarkReason: 'back to 70' });
    await ctx.close();
  });

  it('runs two rounds with three experts, recommends the cut with its spread, and an admin adopts it for a new exam window', async () => {
    const activeItems: number = (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM items WHERE status = 'active'`))[0].n;
    // Refused: too few raters, a rater who could sit the exam, an account that is not a reviewer.
    const candidate = await ctx.newCandidate();
    await ctx
      .as(admin)
      .post('/api/admin/exams/aida/standard-setting', { title: 'Too small', raterIds: [raters[0].id] })
      .expect(400);
    await ctx
      .as(admin)
      .post('/api/admin/exams/aida/standard-setting', { title: 'Candidate rater', raterIds: [raters[0].id, candidate.id] })
      .expect(400);
    await ctx
      .as(admin)
      .post('/api/admin/exams/aida/standard-setting', { title: 'Admin rater', raterIds: [raters[0].id, admin.id] })
      .expect(400);
    await ctx
      .as(candidate)
      .post('/api/admin/exams/aida/standard-setting', { title: 'Not mine', raterIds: raters.map((r) => r.id) })
      .expect(403);

    const opened = await ctx
      .as(admin)
      .post('/api/admin/exams/aida/standard-setting', { title: 'Spring cut study', raterIds: raters.map((r) => r.id) })
      .expect(201);
    const study = opened.body;
    expect(study).toMatchObject({ status: 'round1', items: activeItems, formLength: 20, result: null });
    expect(study.raters).toHaveLength(3);

    // A rater sees every item with its key; an expert who was not invited sees nothing.
    const mine = await ctx.as(raters[0]).get('/api/standard-setting').expect(200);
    expect(mine.body).toEqual([expect.objectContaining({ id: study.id, round: 1, items: activeItems, rated: 0 })]);
    const view = (await ctx.as(raters[0]).get(`/api/standard-setting/${study.id}`).expect(200)).body;
    expect(view.itemsToRate).toHaveLength(activeItems);
    expect(view.itemsToRate[0].options.filter((o: { key: boolean }) => o.key)).toHaveLength(1);
    expect(view.itemsToRate[0].criterionText.length).toBeGreaterThan(10);
    expect(view.itemsToRate[0]).not.toHaveProperty('statistics');
    const outsider = await ctx.newUser('reviewer');
    await ctx.as(outsider).get(`/api/standard-setting/${study.id}`).expect(404);
    await ctx.as(candidate).get(`/api/standard-setting/${study.id}`).expect(403);

    // Bad ratings change nothing.
    const first = view.itemsToRate[0].itemVersionId;
    await ctx
      .as(raters[0])
      .put(`/api/standard-setting/${study.id}/ratings`, { ratings: [{ itemVersionId: first, probability: 1.5 }] })
      .expect(400);
    await ctx
      .as(raters[0])
      .put(`/api/standard-setting/${study.id}/ratings`, {
        ratings: [{ itemVersionId: '00000000-0000-4000-8000-000000000000', probability: 0.5 }],
      })
      .expect(400);
    await ctx
      .as(raters[0])
      .put(`/api/standard-setting/${study.id}/ratings`, {
        ratings: [
          { itemVersionId: first, probability: 0.5 },
          { itemVersionId: first, probability: 0.6 },
        ],
      })
      .expect(400);
    expect(
      (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM standard_setting_ratings WHERE study_id = $1`, [study.id]))[0].n,
    ).toBe(0);

    // Round 1: rater means 0.60, 0.70, 0.65 (alternating around them).
    const rateAll = (rater: TestUser, base: number, step = 0.05) =>
      ctx.as(rater).put(`/api/standard-setting/${study.id}/ratings`, {
        ratings: view.itemsToRate.map((i: { itemVersionId: string }, n: number) => ({
          itemVersionId: i.itemVersionId,
          probability: +(base + (n % 2 ? step : -step)).toFixed(3),
        })),
      });
    await rateAll(raters[0], 0.6).expect(200);
    await rateAll(raters[1], 0.7).expect(200);
    const early = await ctx.as(admin).post(`/api/admin/exams/aida/standard-setting/${study.id}/round2`).expect(409);
    expect(early.body.message).toContain(raters[2].fullName);
    const partial = await rateAll(raters[2], 0.65).expect(200);
    expect(partial.body).toMatchObject({ round: 1, rated: activeItems });

    const round2 = await ctx.as(admin).post(`/api/admin/exams/aida/standard-setting/${study.id}/round2`).expect(200);
    expect(round2.body.status).toBe('round2');
    expect(round2.body.raters.every((r: { ratedRound2: number }) => r.ratedRound2 === activeItems)).toBe(true);
    // Round 2 shows the rater their round-1 rating, the panel's mean and how candidates did.
    const second = (await ctx.as(raters[1]).get(`/api/standard-setting/${study.id}`).expect(200)).body;
    expect(second.round).toBe(2);
    const item = second.itemsToRate[1];
    expect(item.round1Rating).toBeCloseTo(0.75, 6);
    expect(item.panelRound1Mean).toBeCloseTo((0.65 + 0.75 + 0.7) / 3, 6);
    expect(item).toHaveProperty('statistics');
    // Rater 2 moves down to a 0.66 mean in round 2.
    await rateAll(raters[1], 0.66).expect(200);

    const closed = await ctx.as(admin).post(`/api/admin/exams/aida/standard-setting/${study.id}/close`).expect(200);
    const result = closed.body.result;
    const expected = ((0.6 + 0.66 + 0.65) / 3) * 100;
    expect(result.cutPercent).toBeCloseTo(expected, 2);
    expect(result.cutRaw).toBe(Math.ceil((expected / 100) * 20 - 1e-9));
    expect(result.raters.map((r: { cutPercent: number }) => r.cutPercent).sort()).toEqual([60, 65, 66]);
    expect(result.raterSdPercent).toBeCloseTo(3.21, 1);
    expect(result.lowPercent).toBeLessThan(result.cutPercent);
    expect(result.highPercent).toBeGreaterThan(result.cutPercent);
    await rateAll(raters[0], 0.9).expect(409);

    // Adoption opens a window traceable to the study, with the old and the new cut on record.
    await ctx.as(admin).post(`/api/admin/exams/aida/standard-setting/${study.id}/adopt`, { reason: 'x' }).expect(400);
    await ctx
      .as(admin)
      .post(`/api/admin/exams/aida/standard-setting/${study.id}/adopt`, {
        reason: 'Adopted by the board',
        startsAt: '2020-01-01T00:00:00Z',
      })
      .expect(400);
    const before = (await ctx.http.get('/api/admin/exams/aida').set('Authorization', `Bearer ${admin.accessToken}`).expect(200)).body;
    const adopted = await ctx
      .as(admin)
      .post(`/api/admin/exams/aida/standard-setting/${study.id}/adopt`, { reason: 'Adopted by the certification board' })
      .expect(200);
    expect(adopted.body.status).toBe('adopted');
    const after = (await ctx.http.get('/api/admin/exams/aida').set('Authorization', `Bearer ${admin.accessToken}`).expect(200)).body;
    expect(after).toMatchObject({
      passMarkPercent: result.cutPercent,
      passMarkSource: 'standard_setting',
      windowId: adopted.body.adoptedWindowId,
    });
    const [audit] = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'exam.pass_mark_adopted' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.actor_id).toBe(admin.id);
    expect(audit.data).toMatchObject({
      studyId: study.id,
      from: { passMarkPercent: before.passMarkPercent },
      to: { passMarkPercent: result.cutPercent },
    });
    await ctx.as(admin).post(`/api/admin/exams/aida/standard-setting/${study.id}/adopt`, { reason: 'Again' }).expect(409);
    // A new attempt is marked against the adopted cut.
    const sitter = await ctx.newCandidate();
    const attempt = (await ctx.as(sitter).post('/api/exams/aida/attempts').expect(201)).body;
    const [row] = await ctx.dataSource.query(`SELECT pass_mark_percent, window_id FROM attempts WHERE id = $1`, [attempt.id]);
    expect(row).toEqual({ pass_mark_percent: result.cutPercent.toFixed(2), window_id: adopted.body.adoptedWindowId });
    // Every step was audited, and the audit chain still verifies.
    const verified = await ctx.http.get('/api/admin/audit/verify').set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
    expect(verified.body).toMatchObject({ valid: true });
  }, 60_000);
});
