import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { BankSyncService } from '../../src/modules/question-bank/bank-sync.service';
import { MailService } from '../../src/modules/notifications/mail.service';
import { issueCertificateOn } from '../issued-certificate';
import { TestContext, type TestUser } from '../test-app';

/**
 * The consoles' lists (issue #18): people, AIDA attempts and certificates, each paged, sorted,
 * filtered and searched on the server, and exported as CSV with the same filters, over the real
 * HTTP API and PostgreSQL. Each test names its rows with a tag of its own, so rows earlier suites
 * left in the shared database never count.
 */
describe('console lists: server-side paging, sorting, filtering, search and CSV export', () => {
  let ctx: TestContext;
  let admin: TestUser;
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const tagged = () => `t${randomUUID().slice(0, 8)}`;
  const csvLines = (text: string) => text.trimEnd().split('\r\n');

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
    await ctx.app.get(BankSyncService).syncFromFiles(path.resolve(__dirname, '../../../question-bank'));
  }, 30_000);
  afterAll(() => ctx.close());

  describe('people', () => {
    it('sorts, pages and filters by joining day; the CSV holds every filtered row in the same order', async () => {
      const tag = tagged();
      for (const first of ['Zed', 'Amy', 'Bob']) await ctx.newUser('candidate', { fullName: `${first} ${tag}` });
      const list = (query: Record<string, string | number>) =>
        ctx
          .as(admin)
          .get('/api/admin/users')
          .query({ query: tag, ...query });

      const byName = await list({ sort: 'fullName' }).expect(200);
      expect(byName.body.items.map((p: { fullName: string }) => p.fullName)).toEqual([`Amy ${tag}`, `Bob ${tag}`, `Zed ${tag}`]);
      const newestFirst = await list({}).expect(200);
      expect(newestFirst.body.items.map((p: { fullName: string }) => p.fullName)).toEqual([`Bob ${tag}`, `Amy ${tag}`, `Zed ${tag}`]);
      const descending = await list({ sort: 'fullName', order: 'desc' }).expect(200);
      expect(descending.body.items[0].fullName).toBe(`Zed ${tag}`);

      const second = await list({ sort: 'fullName', pageSize: 2, page: 2 }).expect(200);
      expect(second.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
      expect(second.body.items.map((p: { fullName: string }) => p.fullName)).toEqual([`Zed ${tag}`]);

      expect((await list({ createdFrom: yesterday, createdTo: today }).expect(200)).body.total).toBe(3);
      expect((await list({ createdFrom: tomorrow }).expect(200)).body.total).toBe(0);
      expect((await list({ createdTo: yesterday }).expect(200)).body.total).toBe(0);
      expect((await list({ role: 'candidate', status: 'active' }).expect(200)).body.total).toBe(3);
      expect((await list({ role: 'reviewer' }).expect(200)).body.total).toBe(0);

      const csv = await ctx.as(admin).get('/api/admin/users/export.csv').query({ query: tag, sort: 'fullName' }).expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe('attachment; filename="people.csv"');
      const lines = csvLines(csv.text);
      expect(lines[0]).toBe('id,name,email,roles,status,email_verified,second_factor,password_reset_required,created_at');
      expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual([`Amy ${tag}`, `Bob ${tag}`, `Zed ${tag}`]);
      const [{ n }] = await ctx.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.exported' AND actor_id = $1`,
        [admin.id],
      );
      expect(n).toBeGreaterThan(0);
    });

    it('refuses a bad filter with a 400 that names it', async () => {
      const bad = async (query: Record<string, string>, message: RegExp) => {
        for (const path of ['/api/admin/users', '/api/admin/users/export.csv']) {
          const res = await ctx.as(admin).get(path).query(query).expect(400);
          expect(JSON.stringify(res.body.message)).toMatch(message);
          // An error from a download route is JSON to read, not a .csv to save.
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          expect(res.headers['content-disposition']).toBeUndefined();
        }
      };
      await bad({ createdFrom: '2026-02-30' }, /not a real date/);
      await bad({ createdFrom: '03/12/2026' }, /createdFrom must be a date written YYYY-MM-DD/);
      await bad({ createdFrom: today, createdTo: yesterday }, /createdFrom must not be after createdTo/);
      await bad({ sort: 'passwordHash' }, /sort must be one of/);
      await bad({ order: 'sideways' }, /order must be one of/);
      await bad({ pageSize: '501' }, /pageSize must not be greater than 500/);
    });

    it('takes the pattern characters of a search literally', async () => {
      const tag = tagged();
      await ctx.newUser('candidate', { fullName: `Percy ${tag}` });
      expect(
        (
          await ctx
            .as(admin)
            .get('/api/admin/users')
            .query({ query: `%${tag}` })
            .expect(200)
        ).body.total,
      ).toBe(0);
      expect(
        (
          await ctx
            .as(admin)
            .get('/api/admin/users')
            .query({ query: `${tag.slice(0, 3)}_` })
            .expect(200)
        ).body.total,
      ).toBe(0);
    });

    it('is for administrators only', async () => {
      const candidate = await ctx.newCandidate();
      await ctx.as(candidate).get('/api/admin/users').expect(403);
      await ctx.as(candidate).get('/api/admin/users/export.csv').expect(403);
    });
  });

  describe('AIDA attempts', () => {
    it('filters by candidate, status, result and day started; sorts; exports the same rows', async () => {
      const tag = tagged();
      const failing = await ctx.newUser('candidate', { fullName: `Fay ${tag}` });
      const working = await ctx.newUser('candidate', { fullName: `Wes ${tag}` });
      const failed = (await ctx.as(failing).post('/api/exams/aida/attempts').expect(201)).body;
      await ctx.as(failing).post(`/api/exams/aida/attempts/${failed.id}/submit`).expect(200);
      await ctx.as(working).post('/api/exams/aida/attempts').expect(201);
      const list = (query: Record<string, string>) =>
        ctx
          .as(admin)
          .get('/api/admin/exams/aida/attempts')
          .query({ query: tag, ...query });

      const all = await list({ sort: 'candidate' }).expect(200);
      expect(all.body.total).toBe(2);
      expect(all.body.items.map((a: { candidateName: string }) => a.candidateName)).toEqual([`Fay ${tag}`, `Wes ${tag}`]);
      expect(all.body.items[0]).toMatchObject({ status: 'submitted', passed: false, scorePercent: 0, candidateEmail: failing.email });
      expect((await list({ status: 'in_progress' }).expect(200)).body.items.map((a: { userId: string }) => a.userId)).toEqual([working.id]);
      expect((await list({ result: 'failed' }).expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([failed.id]);
      expect((await list({ result: 'passed' }).expect(200)).body.total).toBe(0);
      expect((await list({ from: today, to: today }).expect(200)).body.total).toBe(2);
      expect((await list({ from: tomorrow }).expect(200)).body.total).toBe(0);
      // Unsubmitted attempts have no score: they come last whichever way scores are sorted.
      expect((await list({ sort: 'scorePercent', order: 'desc' }).expect(200)).body.items[0].id).toBe(failed.id);
      await list({ from: today, to: yesterday }).expect(400);
      await list({ status: 'passed' }).expect(400);

      const csv = await ctx.as(admin).get('/api/admin/exams/aida/attempts/export.csv').query({ query: tag, result: 'failed' }).expect(200);
      const lines = csvLines(csv.text);
      expect(lines[0]).toBe('id,candidate,email,status,started_at,submitted_at,score_percent,result,time_limit_seconds');
      expect(lines).toHaveLength(2);
      expect(lines[1]).toContain(`${failed.id},Fay ${tag},${failing.email},submitted,`);
      expect(lines[1]).toContain(',0,failed,');
    });
  });

  describe('certificates', () => {
    it('finds certificates by number or holder address, filters by status, credential and dates, and exports them', async () => {
      const first = await issueCertificateOn(ctx);
      const second = await issueCertificateOn(ctx);
      const list = (query: Record<string, string>) => ctx.as(admin).get('/api/admin/certificates').query(query);

      const byNumber = await list({ query: first.number.slice(4, 11).toLowerCase() }).expect(200);
      expect(byNumber.body.items.map((c: { number: string }) => c.number)).toEqual([first.number]);
      expect(byNumber.body.items[0]).toMatchObject({
        status: 'active',
        credential: { code: 'AIDA' },
        holderEmail: expect.stringContaining('@'),
      });
      const holder = byNumber.body.items[0].holderEmail as string;
      expect((await list({ query: holder }).expect(200)).body.items.map((c: { number: string }) => c.number)).toEqual([first.number]);

      const both = { query: '', issuedFrom: today, issuedTo: today };
      const numbers = [first.number, second.number].sort();
      const issuedToday = await list({ ...both, sort: 'number', pageSize: '500' }).expect(200);
      const listed = issuedToday.body.items.map((c: { number: string }) => c.number);
      expect(listed).toEqual(expect.arrayContaining(numbers));
      expect(listed).toEqual([...listed].sort());
      expect(issuedToday.body.total).toBeGreaterThanOrEqual(2);

      expect((await list({ query: first.number, status: 'active', credential: 'AIDA' }).expect(200)).body.total).toBe(1);
      expect((await list({ query: first.number, status: 'expired' }).expect(200)).body.total).toBe(0);
      expect((await list({ query: first.number, credential: 'CPAP' }).expect(200)).body.total).toBe(0);
      expect((await list({ query: first.number, issuedFrom: tomorrow }).expect(200)).body.total).toBe(0);
      expect((await list({ query: first.number, expiringBefore: tomorrow }).expect(200)).body.total).toBe(0);
      const expiresAt = new Date(byNumber.body.items[0].expiresAt as string);
      const dayAfterExpiry = new Date(expiresAt.getTime() + 86_400_000).toISOString().slice(0, 10);
      expect((await list({ query: first.number, expiringBefore: dayAfterExpiry }).expect(200)).body.total).toBe(1);
      await list({ status: 'lapsed' }).expect(400);
      await list({ credential: 'aida; drop' }).expect(400);
      await list({ expiringBefore: '2026-13-01' }).expect(400);

      const csv = await ctx.as(admin).get('/api/admin/certificates/export.csv').query({ query: second.number }).expect(200);
      const lines = csvLines(csv.text);
      expect(lines[0]).toBe('number,credential,holder,email,status,status_reason,issued_at,expires_at,superseded_by,verify_url');
      expect(lines).toHaveLength(2);
      expect(lines[1].startsWith(`${second.number},AIDA,`)).toBe(true);
      // The single-certificate lookup still answers beside the list.
      await ctx.as(admin).get(`/api/admin/certificates/${first.number}`).expect(200);
    });
  });

  describe('mail', () => {
    it('searches recipient and subject, filters by template, state and day, pages newest first, and exports without bodies', async () => {
      const tag = tagged();
      const mail = ctx.app.get(MailService);
      const sent = [
        { template: 'verify-email', to: `ann-${tag}@example.org`, subject: `Confirm your address ${tag}` },
        { template: 'reset-password', to: `ann-${tag}@example.org`, subject: `Reset your password ${tag}` },
        { template: 'verify-email', to: `bob-${tag}@example.org`, subject: `Confirm your address ${tag}` },
      ];
      for (const m of sent) await mail.send({ ...m, dedupeKey: `${tag}-${m.template}-${m.to}`, text: `secret body ${tag}` });
      const list = (query: Record<string, string | number>) =>
        ctx
          .as(admin)
          .get('/api/admin/mail')
          .query({ query: tag, ...query });

      const all = await list({}).expect(200);
      expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 50 });
      expect(all.body.items.map((m: { recipient: string }) => m.recipient)).toEqual([sent[2].to, sent[1].to, sent[0].to]);
      expect(all.body.items[0]).toMatchObject({ template: 'verify-email', sentAt: expect.any(String) });
      expect((await list({ query: `ann-${tag}` }).expect(200)).body.total).toBe(2);
      expect((await list({ template: 'reset-password' }).expect(200)).body.items.map((m: { subject: string }) => m.subject)).toEqual([
        sent[1].subject,
      ]);
      expect((await list({ state: 'waiting' }).expect(200)).body.total).toBe(0);
      expect((await list({ state: 'sent', from: today, to: today }).expect(200)).body.total).toBe(3);
      expect((await list({ from: tomorrow }).expect(200)).body.total).toBe(0);
      const second = await list({ pageSize: 2, page: 2 }).expect(200);
      expect(second.body.items.map((m: { recipient: string }) => m.recipient)).toEqual([sent[0].to]);
      expect((await list({ order: 'asc', pageSize: 1 }).expect(200)).body.items[0].recipient).toBe(sent[0].to);
      await list({ template: 'Verify Email' }).expect(400);
      await list({ state: 'lost' }).expect(400);

      const csv = await ctx.as(admin).get('/api/admin/mail/export.csv').query({ query: tag, template: 'verify-email' }).expect(200);
      const lines = csvLines(csv.text);
      expect(lines[0]).toBe('id,template,recipient,subject,transport,created_at,sent_at');
      expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual([sent[2].to, sent[0].to]);
      expect(csv.text).not.toContain('secret body');
    });
  });
});
