import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fixtureItem, writeFixtureBank } from '../../../test/bank-fixture';
import { TestContext, type TestUser } from '../../../test/test-app';
import { loadBank } from './bank-files';
import { BankSyncService } from './bank-sync.service';
import { validateBank } from './bank-validator';
import { loadFramework } from '../programme/framework';
import { ItemReviewService } from './item-review.service';
import { renderReviewsFile, REVIEWS_FILE, setItemStatusInFile } from './reviews-file';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

describe('item review workflow: draft → two independent reviews → pretest → active (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let author: TestUser;
  let first: TestUser;
  let second: TestUser;
  let dir: string;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
    author = await ctx.newUser('reviewer', { email: `ada-${Date.now()}@example.org`, fullName: 'Ada Author' });
    first = await ctx.newUser('reviewer', { fullName: 'Bea Expert' });
    second = await ctx.newUser('reviewer', { fullName: 'Cy Expert' });
    // A fixture bank with one new draft item, written by Ada.
    dir = writeFixtureBank((d) => d.get(1)!.push(fixtureItem(1, 33, { status: 'draft', author: `Ada Author <${author.email}>` })));
    await ctx.app.get(BankSyncService).syncFromFiles(dir);
  });
  afterAll(async () => {
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    await ctx.close();
  });

  const audited = async (action: string) =>
    (await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = $1 AND subject_id = 'D01-033'`, [action]))[0].n;

  it('takes a new item through independent reviews to pretest, exports the evidence to git, and keeps every rule', async () => {
    const queue = (await ctx.as(first).get('/api/bank/reviews').expect(200)).body;
    expect(queue.find((q: { id: string }) => q.id === 'D01-033')).toMatchObject({ status: 'draft', evidence: 'needs_review', approvals: 0, reviewedByYou: false });
    expect(queue.find((q: { id: string }) => q.id === 'D01-001')).toMatchObject({ status: 'active', evidence: 'adopted' });
    const candidate = await ctx.newCandidate();
    await ctx.as(candidate).get('/api/bank/reviews').expect(403);

    const approve = { verdict: 'approve', keyConfirmed: true, cueingOk: true, criterion: 'D01.3', difficulty: 'hard' };
    // The author cannot review their own item.
    await ctx.as(author).post('/api/bank/reviews/D01-033', approve).expect(403);
    // First reviewer approves; the item view shows the key, rationales and the option cue signals.
    const afterFirst = (await ctx.as(first).post('/api/bank/reviews/D01-033', approve).expect(201)).body;
    expect(afterFirst.yourReview).toMatchObject({ verdict: 'approve', criterion: 'D01.3' });
    expect(afterFirst.options.filter((o: { key: boolean }) => o.key)).toHaveLength(1);
    expect(afterFirst.options[0]).toEqual(expect.objectContaining({ lengthRank: expect.any(Number), cues: [], psfOverlap: expect.any(Number) }));
    await ctx.as(first).post('/api/bank/reviews/D01-033', approve).expect(409);

    // The second reviewer judges independently: the first verdict is hidden until theirs is in.
    const before = (await ctx.as(second).get('/api/bank/reviews/D01-033').expect(200)).body;
    expect(before).toMatchObject({ reviews: [], hiddenReviews: 1, approvals: 1, yourReview: null });
    await ctx.as(second).post('/api/bank/reviews/D01-033', { ...approve, verdict: 'changes_requested' }).expect(400);
    await ctx.as(second).post('/api/bank/reviews/D01-033', { ...approve, criterion: 'D01.4' }).expect(400);
    await ctx.as(second).post('/api/bank/reviews/D01-033', { ...approve, keyConfirmed: false }).expect(400);
    await ctx.as(second).post('/api/bank/reviews/D01-033', { ...approve, criterion: 'D02.1', verdict: 'changes_requested', comment: 'Belongs elsewhere, I think.' }).expect(400);
    await ctx.as(second).post('/api/bank/reviews/D01-033/comments', { body: 'Distractor C reads close to the key; fine after a second look.' }).expect(201);
    const afterSecond = (await ctx.as(second).post('/api/bank/reviews/D01-033', { ...approve, difficulty: 'medium' }).expect(201)).body;
    expect(afterSecond).toMatchObject({ approvals: 2, hiddenReviews: 0 });
    expect(afterSecond.reviews).toEqual([expect.objectContaining({ reviewer: 'Bea Expert', verdict: 'approve' })]);
    expect(afterSecond.comments).toEqual([expect.objectContaining({ author: 'Cy Expert' })]);
    expect(await audited('bank.item_reviewed')).toBe(2);

    // Admin steps: the rules of each stage hold.
    await ctx.as(first).post('/api/admin/bank/items/D01-033/stage', { to: 'pretest' }).expect(403);
    await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'active' }).expect(400);
    const pretest = (await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'pretest' }).expect(200)).body;
    expect(pretest.status).toBe('pretest');
    expect(pretest.stages).toEqual([expect.objectContaining({ from: 'draft', to: 'pretest' })]);
    await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'active' }).expect(409); // no pretest responses yet
    expect(await audited('bank.item_stage_changed')).toBe(1);

    // The next sync from the unchanged files keeps the platform's decision...
    await ctx.app.get(BankSyncService).syncFromFiles(dir);
    expect((await ctx.dataSource.query(`SELECT status FROM items WHERE id = 'D01-033'`))[0].status).toBe('pretest');

    // ...and the export writes the evidence back to git, which bank:check then accepts for a pretest item.
    const reviews = ctx.app.get(ItemReviewService);
    const exported = await reviews.exportReviews(loadBank(dir).reviews);
    writeFileSync(path.join(dir, REVIEWS_FILE), renderReviewsFile(exported));
    for (const [id, status] of await reviews.currentStatuses()) {
      const item = loadBank(dir).items.find((i) => i.id === id);
      if (item && item.status !== status) setItemStatusInFile(path.join(dir, item.source.file), id, status);
    }
    const bank = loadBank(dir);
    expect(bank.items.find((i) => i.id === 'D01-033')!.status).toBe('pretest');
    expect(bank.reviews!.items['D01-033'][0]).toMatchObject({ reviews: [expect.objectContaining({ verdict: 'approve' }), expect.objectContaining({ verdict: 'approve' })] });
    expect(validateBank(bank, loadFramework(dir))).toEqual([]);

    // Retiring needs a reason; a retired item stays retired.
    await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'retired' }).expect(400);
    await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'retired', reason: 'Superseded by a clearer item on D01.3.' }).expect(200);
    await ctx.as(admin).post('/api/admin/bank/items/D01-033/stage', { to: 'pretest' }).expect(409);
    await ctx.as(admin).post('/api/admin/bank/items/NOPE-001/stage', { to: 'pretest' }).expect(404);
    await ctx.as(admin).post('/api/admin/bank/items/D01-001/stage', { to: 'sideways' }).expect(400);
  });
});
