import * as path from 'node:path';
import { TestContext, type TestUser } from '../../../test/test-app';
import { BankSyncService } from '../question-bank/bank-sync.service';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

interface Activity {
  sessions: Array<{ id: string; createdAt: string; lastUsedAt: string; client: string; signInMethod: string | null }>;
  attempts: Array<{ id: string; examCode: string; status: string; scorePercent: number | null; passed: boolean | null }>;
  portfolios: Array<{ id: string; credential: string; submissions: unknown[] }>;
  certificates: unknown[];
  auditTrail: { items: Array<{ action: string; actorId: string | null; subjectId: string | null }>; total: number };
}

/** Issue #18 item 5: what an administrator sees of a person's activity on their page. */
describe("a person's activity for administrators (real PostgreSQL)", () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(REAL_BANK);
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  it('lists their live sessions, attempts, portfolios and audit trail, and records the read', async () => {
    const candidate = await ctx.newUser('candidate', { fullName: 'Activity Candidate' });
    await ctx.signIn(candidate); // a second device
    const attemptId = await ctx.passAida(candidate); // the prerequisite of a portfolio
    const draft = (await ctx.as(candidate).get('/api/portfolios/CPAP').expect(200)).body as { id: string };

    const activity = (await ctx.as(admin).get(`/api/admin/users/${candidate.id}/activity`).expect(200)).body as Activity;
    expect(activity.sessions).toHaveLength(2);
    expect(activity.sessions[0]).toMatchObject({ client: expect.any(String), signInMethod: 'password' });
    expect(activity.sessions[0]).not.toHaveProperty('ip');
    expect(activity.attempts).toEqual([expect.objectContaining({ id: attemptId, examCode: 'AIDA', status: 'submitted', passed: true })]);
    expect(activity.portfolios).toEqual([{ id: draft.id, credential: 'CPAP', submissions: [] }]);
    expect(activity.certificates).toEqual([]); // no worker here to issue it
    const actions = activity.auditTrail.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'auth.login', 'exam.attempt_started']));
    expect(activity.auditTrail.total).toBeGreaterThanOrEqual(activity.auditTrail.items.length);

    const reads = (await ctx.as(admin).get(`/api/admin/audit/entries?action=user.activity_viewed&subjectId=${candidate.id}`).expect(200))
      .body as { items: Array<{ actorId: string; subjectType: string }> };
    expect(reads.items).toEqual([expect.objectContaining({ actorId: admin.id, subjectType: 'user' })]);
  });

  it('leaves out ended sessions, and shows the administrator reading it in the trail of the person read', async () => {
    const candidate = await ctx.newUser('candidate');
    await ctx.http.post('/api/auth/logout').set('Cookie', candidate.refreshCookie).expect(204);
    await ctx.as(admin).get(`/api/admin/users/${candidate.id}/activity`).expect(200);
    const again = (await ctx.as(admin).get(`/api/admin/users/${candidate.id}/activity`).expect(200)).body as Activity;
    expect(again.sessions).toEqual([]);
    expect(again.auditTrail.items[0]).toMatchObject({ action: 'user.activity_viewed', actorId: admin.id, subjectId: candidate.id });
  });

  it('answers 404 for nobody, 400 for an id that is not one, and 403 to anyone but an administrator', async () => {
    await ctx.as(admin).get('/api/admin/users/00000000-0000-4000-8000-000000000000/activity').expect(404);
    await ctx.as(admin).get('/api/admin/users/someone/activity').expect(400);
    const candidate = await ctx.newUser('candidate');
    await ctx.as(candidate).get(`/api/admin/users/${candidate.id}/activity`).expect(403);
  });
});
