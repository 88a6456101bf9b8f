import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { adoptFixtureBank, fixtureItem, type FixtureItem, writeFixtureBank } from '../../../test/bank-fixture';
import { TestContext, type TestUser } from '../../../test/test-app';
import { loadBank } from './bank-files';
import { BankInvalidError, BankSyncService } from './bank-sync.service';

const REAL_BANK = path.resolve(__dirname, '../../../../question-bank');

describe('question bank sync and admin browsing (real PostgreSQL)', () => {
  let ctx: TestContext;
  let sync: BankSyncService;
  let admin: TestUser;

  beforeAll(async () => {
    ctx = await TestContext.create();
    sync = ctx.app.get(BankSyncService);
    admin = await ctx.newAdmin();
  });
  afterAll(() => ctx.close());

  const count = async (sql: string, params: unknown[] = []) => (await ctx.dataSource.query(sql, params))[0].n as number;
  const asAdmin = (url: string) => ctx.http.get(url).set('Authorization', `Bearer ${admin.accessToken}`);

  it('syncs the real bank, and a re-sync changes nothing', async () => {
    const files = loadBank(REAL_BANK).items;
    const first = await sync.syncFromFiles(REAL_BANK);
    // Other suites may have synced fixture banks into this database first: their extra items are retired.
    expect(first.added + first.changed + first.unchanged).toBeGreaterThanOrEqual(files.length - first.retired);
    const again = await sync.syncFromFiles(REAL_BANK);
    expect(again).toEqual({ added: 0, changed: 0, retired: 0, unchanged: files.length });
    const ids = files.map((i) => i.id);
    for (const status of ['active', 'pretest', 'retired']) {
      expect(await count(`SELECT count(*)::int AS n FROM items WHERE status = $1 AND id = ANY($2)`, [status, ids])).toBe(
        files.filter((i) => i.status === status).length,
      );
    }
    expect(await count(`SELECT count(*)::int AS n FROM items WHERE status = 'active'`)).toBeGreaterThanOrEqual(240);
  });

  it('gives an edited item version 2 and keeps version 1 readable; removal retires, never deletes', async () => {
    let domains!: Map<number, FixtureItem[]>;
    const dir = writeFixtureBank((d) => (domains = d));
    await sync.syncFromFiles(dir);
    const versionsBefore = await count(`SELECT count(*)::int AS n FROM item_versions`);

    // Edit D02-003's stem and drop D05-010 from the files.
    const edited = domains.get(2)!;
    edited[2] = { ...edited[2], stem: `${edited[2].stem} The change is urgent.` };
    writeFileSync(path.join(dir, 'items/D02.yaml'), stringify({ domain: 'D02', items: edited }, { lineWidth: 0 }));
    const d5 = domains.get(5)!.filter((i) => i.id !== 'D05-010');
    d5.push(fixtureItem(5, 50, { criterion: 'D05.5' }));
    writeFileSync(path.join(dir, 'items/D05.yaml'), stringify({ domain: 'D05', items: d5 }, { lineWidth: 0 }));
    // The edited and the new item are active: the bank needs their review evidence (here, an adoption).
    adoptFixtureBank(dir);

    const report = await sync.syncFromFiles(dir);
    expect(report).toMatchObject({ added: 1, changed: 1, retired: 1 });
    expect(await count(`SELECT count(*)::int AS n FROM item_versions`)).toBe(versionsBefore + 2);

    const detail = await asAdmin('/api/admin/bank/items/D02-003').expect(200);
    expect(detail.body.versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual(
      expect.arrayContaining([[expect.any(Number), true]]),
    );
    const [newest, previous] = detail.body.versions;
    expect(newest.current).toBe(true);
    expect(newest.stem).toMatch(/The change is urgent\.$/);
    expect(previous.current).toBe(false);
    expect(previous.stem).not.toMatch(/urgent/);
    expect(newest.version).toBe(previous.version + 1);

    const removed = await asAdmin('/api/admin/bank/items/D05-010').expect(200);
    expect(removed.body.status).toBe('retired');
    expect(removed.body.retiredAt).not.toBeNull();
    expect(removed.body.versions.length).toBeGreaterThan(0);
  });

  it('keeps item versions immutable in the database', async () => {
    await expect(ctx.dataSource.query(`UPDATE item_versions SET content = '{}'::jsonb`)).rejects.toThrow(/immutable/);
    await expect(ctx.dataSource.query(`DELETE FROM item_versions`)).rejects.toThrow(/immutable/);
  });

  it('leaves one consistent result when two syncs run at once', async () => {
    const dir = writeFixtureBank((d) => {
      for (const items of d.values()) items.forEach((item) => (item.notes = 'Concurrent sync fixture.'));
    });
    const before = await count(`SELECT count(*)::int AS n FROM item_versions`);
    const [a, b] = await Promise.all([sync.syncFromFiles(dir), sync.syncFromFiles(dir)]);
    // One sync did the work, the other found it done.
    expect([a.changed, b.changed].sort((x, y) => x - y)).toEqual([0, 256]);
    expect(await count(`SELECT count(*)::int AS n FROM item_versions`)).toBe(before + 256);
    expect(
      await count(`SELECT count(*)::int AS n FROM items i JOIN item_versions v ON v.id = i.current_version_id
                   WHERE v.content->>'notes' = 'Concurrent sync fixture.'`),
    ).toBe(256);
  });

  it('refuses an invalid bank and changes nothing', async () => {
    const dir = writeFixtureBank((d) => {
      d.get(1)![0].options[2].key = true;
      d.get(1)![1].stem = 'A brand new stem that would otherwise create a version';
    });
    const versions = await count(`SELECT count(*)::int AS n FROM item_versions`);
    await expect(sync.syncFromFiles(dir)).rejects.toBeInstanceOf(BankInvalidError);
    expect(await count(`SELECT count(*)::int AS n FROM item_versions`)).toBe(versions);
  });

  it('lets admins browse by domain, criterion and status; refuses others', async () => {
    await sync.syncFromFiles(REAL_BANK);
    const byCriterion = await asAdmin('/api/admin/bank/items?criterion=D04.2').expect(200);
    expect(byCriterion.body.length).toBeGreaterThanOrEqual(2);
    expect(byCriterion.body.every((i: { criterion: string }) => i.criterion === 'D04.2')).toBe(true);
    const retired = await asAdmin('/api/admin/bank/items?status=retired').expect(200);
    // Fixture-only items (e.g. D05-050) are retired now that the real bank is back in the files.
    expect(retired.body.map((i: { id: string }) => i.id)).toContain('D05-050');
    const d7 = await asAdmin('/api/admin/bank/items?domain=D07&status=active').expect(200);
    expect(d7.body).toHaveLength(loadBank(REAL_BANK).items.filter((i) => i.domain === 'D07' && i.status === 'active').length);
    await asAdmin('/api/admin/bank/items?domain=D9').expect(400);
    await asAdmin('/api/admin/bank/items/NOPE-001').expect(404);

    const candidate = await ctx.newCandidate();
    await ctx.http.get('/api/admin/bank/items').set('Authorization', `Bearer ${candidate.accessToken}`).expect(403);
  });

  it('publishes the framework with its CC BY 4.0 attribution', async () => {
    const res = await ctx.http.get('/api/framework').expect(200);
    expect(res.body.domains).toHaveLength(8);
    expect(res.body.domains[3].criteria).toHaveLength(5);
    expect(res.body.attribution).toContain('Production AI Institute');
    expect(res.body.attribution).toContain('CC BY 4.0');
  });
});
