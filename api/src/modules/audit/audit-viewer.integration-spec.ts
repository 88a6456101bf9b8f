import { TestContext, type TestUser } from '../../../test/test-app';

interface Entry {
  id: string;
  action: string;
  actorId: string | null;
  actorName: string | null;
  subjectType: string;
  subjectId: string | null;
  occurredAt: string;
}
interface EntriesPage {
  items: Entry[];
  total: number;
  page: number;
  pageSize: number;
}

const utcDay = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

/** Issue #18 item 5: the administrators' audit viewer, its filters, its CSV export, and the audit of both. */
describe('the audit viewer: filters, pages and CSV export (real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;
  let candidate: TestUser;
  const tag = Date.now().toString(36);
  const list = async (query: string) => (await ctx.as(admin).get(`/api/admin/audit/entries?${query}`).expect(200)).body as EntriesPage;

  beforeAll(async () => {
    ctx = await TestContext.create();
    // A name a spreadsheet would run as a formula, with a comma and a quote the CSV must keep.
    admin = await ctx.newUser('admin', { fullName: `=HYPERLINK("evil"), Auditor ${tag}` });
    candidate = await ctx.newUser('candidate', { fullName: `Viewed Candidate ${tag}` });
    await ctx.as(admin).post(`/api/admin/users/${candidate.id}/deactivate`, { reason: 'Checking the viewer' }).expect(200);
    await ctx.as(admin).post(`/api/admin/users/${candidate.id}/reactivate`, { reason: 'Checked' }).expect(200);
    await ctx.signIn(candidate); // the deactivation ended their session
  });
  afterAll(() => ctx.close());

  it('filters by actor id and action prefix, newest first, naming the actor; pages hold what they say', async () => {
    const page = await list(`actor=${admin.id}&action=user.`);
    // The account's creation by the command line is recorded as the new account's own act.
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 50 });
    expect(page.items.map((e) => e.action)).toEqual(['user.reactivated', 'user.deactivated', 'user.created']);
    expect(page.items[0]).toMatchObject({ actorId: admin.id, actorName: admin.fullName, subjectType: 'user', subjectId: candidate.id });

    const second = await list(`actor=${admin.id}&action=user.&pageSize=1&page=2`);
    expect(second).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(second.items.map((e) => e.action)).toEqual(['user.deactivated']);
    expect((await list(`actor=${admin.id}&action=user.&pageSize=2&page=3`)).items).toEqual([]);
  });

  it('finds the actor by part of their name or address, and an exact action only when it matches exactly', async () => {
    expect((await list(`actor=${encodeURIComponent(`auditor ${tag}`)}&action=user.`)).total).toBe(3);
    expect((await list(`actor=${encodeURIComponent(admin.email.toUpperCase())}&action=user.deactivated`)).total).toBe(1);
    // `user.deactivate` is not an action and not a prefix (no trailing dot): nothing matches.
    expect((await list(`actor=${admin.id}&action=user.deactivate`)).total).toBe(0);
    // A LIKE wildcard in the text is taken literally.
    expect((await list(`actor=${encodeURIComponent('%')}&action=user.deactivated&subjectId=${candidate.id}`)).total).toBe(0);
  });

  it('filters by subject, by person (what they did and what was done to their account) and by UTC day, inclusive', async () => {
    const about = await list(`subjectType=user&subjectId=${candidate.id}&action=user.deactivated`);
    expect(about.items).toHaveLength(1);
    expect(about.items[0].actorId).toBe(admin.id);

    const trail = await list(`person=${candidate.id}&pageSize=500`);
    const actions = trail.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.created', 'auth.login', 'user.deactivated', 'user.reactivated']));
    expect(trail.items.every((e) => e.actorId === candidate.id || (e.subjectType === 'user' && e.subjectId === candidate.id))).toBe(true);

    expect((await list(`actor=${admin.id}&action=user.&from=${utcDay()}&to=${utcDay()}`)).total).toBe(3);
    expect((await list(`actor=${admin.id}&action=user.&from=${utcDay(-3)}&to=${utcDay(-1)}`)).total).toBe(0);
    expect((await list(`actor=${admin.id}&action=user.&from=${utcDay(1)}`)).total).toBe(0);
  });

  it('takes days far in the past and the last day a date field can hold', async () => {
    expect((await list(`actor=${admin.id}&action=user.&from=1000-01-01&to=9999-12-31`)).total).toBe(3);
    const csv = await ctx.as(admin).get(`/api/admin/audit/entries/export.csv?actor=${admin.id}&action=user.&to=9999-12-31`).expect(200);
    expect(csv.headers['x-total-count']).toBe('3');
  });

  it('lists reads of sensitive data apart, and records each listing and export as a read of the audit log', async () => {
    const before = (await list(`actor=${admin.id}&action=audit.listed`)).total;
    const after = await list(`actor=${admin.id}&action=audit.listed`);
    expect(after.total).toBe(before + 1);
    expect(after.items[0]).toMatchObject({ subjectType: 'audit_log', actorId: admin.id });

    const reads = await list(`actor=${admin.id}&kind=reads`);
    expect(reads.total).toBeGreaterThan(0);
    expect(reads.items.every((e) => e.action === 'audit.listed' || e.action === 'audit.exported')).toBe(true);
    expect((await list(`actor=${admin.id}&kind=decisions&action=audit.`)).total).toBe(0);
  });

  it('exports the filtered rows as CSV that a spreadsheet opens safely, and records the export', async () => {
    const exportsBefore = (await list(`actor=${admin.id}&action=audit.exported`)).total;
    const res = await ctx.as(admin).get(`/api/admin/audit/entries/export.csv?actor=${admin.id}&action=user.`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="audit-log\.csv"/);
    expect(res.headers['x-total-count']).toBe('3');
    expect(res.headers['x-export-rows']).toBe('3');
    const lines = (res.text as string).trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,occurred_at,actor_id,actor_name,action,subject_type,subject_id,data,hash,hash_version');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.match(/,(user\.[a-z_]+),user,/)?.[1])).toEqual([
      'user.reactivated',
      'user.deactivated',
      'user.created',
    ]);
    // The name starts with '=': quoted (it holds a comma and quotes) and led by an apostrophe.
    expect(lines[1]).toContain(`,"'=HYPERLINK(""evil""), Auditor ${tag}",`);

    const exports = await list(`actor=${admin.id}&action=audit.exported`);
    expect(exports.total).toBe(exportsBefore + 1);
  });

  it('names the distinct actions for the filter, and keeps the old newest-entries list working', async () => {
    const { actions } = (await ctx.as(admin).get('/api/admin/audit/actions').expect(200)).body as { actions: string[] };
    expect(actions).toEqual(expect.arrayContaining(['audit.listed', 'user.deactivated', 'user.reactivated']));
    expect([...actions].sort()).toEqual(actions);
    expect(new Set(actions).size).toBe(actions.length);

    const recent = (await ctx.as(admin).get('/api/admin/audit?limit=5&kind=decisions').expect(200)).body as Entry[];
    expect(recent).toHaveLength(5);
    // The older list of recent entries is a read of the audit log too.
    const [listed] = await ctx.dataSource.query(
      `SELECT actor_id, data FROM audit_log WHERE action = 'audit.listed' AND actor_id = $1 ORDER BY id DESC LIMIT 1`,
      [admin.id],
    );
    expect(listed).toEqual({ actor_id: admin.id, data: { route: 'GET /api/admin/audit' } });
  });

  it.each([
    ['from=2026-02-30', /from must be a real date/],
    ['to=2026-1-5', /to must be a date as YYYY-MM-DD/],
    [`from=${utcDay()}&to=${utcDay(-1)}`, /from must not be after to/],
    ['kind=everything', /kind must be one of/],
    ['person=someone', /person must be a UUID/],
    ['pageSize=501', /pageSize must not be greater than 500/],
    ['page=0', /page must not be less than 1/],
    ['colour=blue', /property colour should not exist/],
  ])('answers 400 with a plain message for %s, on the list and on the export', async (query, message) => {
    for (const path of ['entries', 'entries/export.csv']) {
      if (path.endsWith('.csv') && /page/.test(query)) continue; // the export has no pages
      const res = await ctx.as(admin).get(`/api/admin/audit/${path}?${query}`).expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
      expect(res.headers['content-type']).toMatch(/^application\/json/); // an error, never a CSV attachment
      expect(res.headers['content-disposition']).toBeUndefined();
    }
  });

  it('is documented in OpenAPI: every filter, the page shape, the CSV and the 400s', async () => {
    const { paths } = (await ctx.http.get('/api/docs-json').expect(200)).body;
    const list = paths['/api/admin/audit/entries'].get;
    const names = list.parameters.map((p: { name: string }) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['actor', 'person', 'subjectType', 'subjectId', 'action', 'from', 'to', 'kind', 'page', 'pageSize']),
    );
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    const csv = paths['/api/admin/audit/entries/export.csv'].get;
    expect(Object.keys(csv.responses['200'].content)).toEqual(['text/csv; charset=utf-8']);
    expect(csv.responses['200'].description).toMatch(/50000/);
    expect(Object.keys(csv.responses)).toContain('400');
    expect(paths['/api/admin/audit/actions'].get.responses['200']).toBeDefined();
  });

  it('is for administrators only', async () => {
    await ctx.as(candidate).get('/api/admin/audit/entries').expect(403);
    await ctx.as(candidate).get('/api/admin/audit/entries/export.csv').expect(403);
    await ctx.as(candidate).get('/api/admin/audit/actions').expect(403);
  });
});
