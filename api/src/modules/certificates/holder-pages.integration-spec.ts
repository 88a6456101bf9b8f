import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TestContext, type TestUser } from '../../../test/test-app';
import { PersonalDataExport } from '../data-rights/personal-data-export';
import { UsersService } from '../users/users.service';
import { CredentialEvents } from './credential-events';
import { IssueCertificateJob } from './jobs/issue-certificate.job';

const SETTING = '/api/certificates/holder-page';
const slugOf = (url: string) => new URL(url).pathname.replace(/^\/holders\//, '');

describe('public holder pages (opt-in; HTTP, real PostgreSQL)', () => {
  let ctx: TestContext;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  /** A pass recorded through the certificates module's door, then the issuing job: the certificate's number. */
  async function issue(holder: TestUser, credential: 'AIDA' | 'CPAP'): Promise<string> {
    const sourceId = randomUUID();
    await ctx.dataSource.transaction((tx: EntityManager) =>
      ctx.app.get(CredentialEvents).recordPass(tx, { userId: holder.id, credential, sourceType: 'aida_attempt', sourceId }),
    );
    const [event] = await ctx.dataSource.query(`SELECT id FROM credential_events WHERE source_id = $1`, [sourceId]);
    await ctx.app.get(IssueCertificateJob).handle({ credentialEventId: event.id });
    const [{ number }] = await ctx.dataSource.query(`SELECT number FROM certificates WHERE source_id = $1`, [sourceId]);
    return number;
  }

  const auditActions = async (userId: string) =>
    (
      await ctx.dataSource.query(`SELECT action FROM audit_log WHERE subject_id = $1 AND action LIKE 'user.holder_page_%' ORDER BY id`, [
        userId,
      ])
    ).map((r: { action: string }) => r.action);

  it('is off until the holder turns it on; then anyone signed out reads their active certificates only; off answers 404', async () => {
    const holder = await ctx.newUser('candidate', { fullName: 'Hana Holder' });
    const aida = await issue(holder, 'AIDA');
    const cpap = await issue(holder, 'CPAP');

    expect((await ctx.as(holder).get(SETTING).expect(200)).body).toEqual({ enabled: false, url: null, enabledAt: null });

    const on = (await ctx.as(holder).put(SETTING, {}).expect(200)).body;
    expect(on).toEqual({ enabled: true, url: expect.stringMatching(/\/holders\/[A-Za-z0-9_-]{22}$/), enabledAt: expect.any(String) });
    // Turning it on again while on keeps the address (a second click must not break a link already shared).
    expect((await ctx.as(holder).put(SETTING, {}).expect(200)).body).toEqual(on);
    expect((await ctx.as(holder).get(SETTING).expect(200)).body).toEqual(on);
    const slug = slugOf(on.url);

    // Signed out: no Authorization header.
    const page = await ctx.http.get(`/api/public/holders/${slug}`).expect(200);
    expect(page.body.holderName).toBe('Hana Holder');
    expect(page.body.certificates.map((c: { number: string }) => c.number).sort()).toEqual([aida, cpap].sort());
    expect(page.body.certificates.find((c: { number: string }) => c.number === aida)).toEqual({
      number: aida,
      credential: { code: 'AIDA', name: expect.any(String) },
      issuedAt: expect.any(String),
      expiresAt: expect.any(String),
      verifyUrl: expect.stringMatching(new RegExp(`/verify/${aida}$`)),
    });
    // Nothing beyond what the verify page shows: no account id, no address.
    expect(JSON.stringify(page.body)).not.toContain(holder.id);
    expect(JSON.stringify(page.body)).not.toContain(holder.email);

    // A suspended certificate leaves the page at once.
    await ctx.as(admin).post(`/api/admin/certificates/${cpap}/suspend`, { reason: 'Under investigation' }).expect(200);
    const after = (await ctx.http.get(`/api/public/holders/${slug}`).expect(200)).body;
    expect(after.certificates.map((c: { number: string }) => c.number)).toEqual([aida]);
    // A revoked one too; with none valid, the page lists nothing and names nobody.
    await ctx.as(admin).post(`/api/admin/certificates/${aida}/revoke`, { reason: 'Identity fraud at the exam' }).expect(200);
    expect((await ctx.http.get(`/api/public/holders/${slug}`).expect(200)).body).toEqual({ holderName: null, certificates: [] });

    const off = (await ctx.as(holder).delete(SETTING).expect(200)).body;
    expect(off).toEqual({ enabled: false, url: null, enabledAt: null });
    const gone = await ctx.http.get(`/api/public/holders/${slug}`).expect(404);
    expect(gone.body).toMatchObject({ statusCode: 404, message: 'No public holder page has this address' });
    // Off again changes nothing (and audits nothing).
    await ctx.as(holder).delete(SETTING).expect(200);

    // On again: a new address; the old one stays dead.
    const again = (await ctx.as(holder).put(SETTING, {}).expect(200)).body;
    expect(slugOf(again.url)).not.toBe(slug);
    await ctx.http.get(`/api/public/holders/${slug}`).expect(404);
    await ctx.http.get(`/api/public/holders/${slugOf(again.url)}`).expect(200);

    expect(await auditActions(holder.id)).toEqual(['user.holder_page_enabled', 'user.holder_page_disabled', 'user.holder_page_enabled']);
  });

  it('answers 404 for an address never issued or malformed, and 401 for the setting when signed out', async () => {
    await ctx.http.get(`/api/public/holders/${'A'.repeat(22)}`).expect(404);
    await ctx.http.get('/api/public/holders/not-a-slug').expect(404);
    await ctx.http.get(`/api/public/holders/${encodeURIComponent("'; DROP TABLE holder_pages; --")}`).expect(404);
    await ctx.http.get(SETTING).expect(401);
    await ctx.http.put(SETTING).expect(401);
    await ctx.http.delete(SETTING).expect(401);
  });

  it('documents every status of the public read, the rate limit (429) included', async () => {
    const { paths } = (await ctx.http.get('/api/docs-json').expect(200)).body;
    const read = paths['/api/public/holders/{slug}'].get;
    expect(Object.keys(read.responses).sort()).toEqual(expect.arrayContaining(['200', '304', '404', '429']));
    for (const method of ['get', 'put', 'delete'])
      expect(Object.keys(paths[SETTING][method].responses)).toEqual(expect.arrayContaining(['200', '401']));
  });

  it('is in the personal-data export while on, and account deletion turns it off for good', async () => {
    const holder = await ctx.newCandidate();
    await issue(holder, 'AIDA');
    const on = (await ctx.as(holder).put(SETTING, {}).expect(200)).body;
    // The export job's own builder (the HTTP round trip through the mailed link is data-rights' own test).
    const user = await ctx.app.get(UsersService).findById(holder.id);
    const entries = await ctx.app.get(PersonalDataExport).collect(user!);
    const data = JSON.parse(entries.find((e) => e.name === 'data.json')!.data.toString());
    expect(data.holderPage).toEqual(on);

    await ctx.as(holder).post('/api/me/deletion', { password: holder.password, confirm: 'DELETE' }).expect(202);
    await ctx.http.get(`/api/public/holders/${slugOf(on.url)}`).expect(404);
    expect(await ctx.dataSource.query(`SELECT 1 FROM holder_pages WHERE user_id = $1`, [holder.id])).toHaveLength(0);
  });
});
