import { asOwner, tamperWithAuditLog } from '../../../test/audit-owner';
import { TestContext } from '../../../test/test-app';
import { AuditService } from './audit.service';

describe('audit log (real PostgreSQL)', () => {
  let ctx: TestContext;
  let audit: AuditService;

  beforeAll(async () => {
    ctx = await TestContext.create();
    audit = ctx.app.get(AuditService);
  });
  afterAll(() => ctx.close());

  it('chains concurrent appends without forking the chain', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        audit.append(ctx.dataSource.manager, { actorId: null, action: 'test.concurrent', subjectType: 'test', subjectId: String(i) }),
      ),
    );
    const report = await audit.verifyChain();
    expect(report).toMatchObject({ valid: true, firstBrokenId: null });
    expect(report.checkedRows).toBeGreaterThanOrEqual(20);
  });

  it('keeps the chain verifiable whatever the data holds (a Date, an undefined field)', async () => {
    await audit.append(ctx.dataSource.manager, {
      actorId: null,
      action: 'test.rich_data',
      subjectType: 'test',
      data: { at: new Date('2026-12-01T10:00:00Z'), missing: undefined, nested: { when: new Date(0) } },
    });
    const [row] = await ctx.dataSource.query(`SELECT data FROM audit_log WHERE action = 'test.rich_data'`);
    expect(row.data).toEqual({ at: '2026-12-01T10:00:00.000Z', nested: { when: '1970-01-01T00:00:00.000Z' } });
    expect(await audit.verifyChain()).toMatchObject({ valid: true, firstBrokenId: null });
  });

  it('refuses UPDATE and DELETE on audit rows to the application role (and the trigger refuses them to the owner)', async () => {
    await audit.append(ctx.dataSource.manager, { actorId: null, action: 'test.immutable', subjectType: 'test' });
    await expect(ctx.dataSource.query(`UPDATE audit_log SET action = 'x' WHERE action = 'test.immutable'`)).rejects.toThrow(
      /permission denied/,
    );
    await expect(ctx.dataSource.query(`DELETE FROM audit_log WHERE action = 'test.immutable'`)).rejects.toThrow(/permission denied/);
    await asOwner(async (owner) => {
      await expect(owner.query(`UPDATE audit_log SET action = 'x' WHERE action = 'test.immutable'`)).rejects.toThrow(/append-only/);
      await expect(owner.query(`DELETE FROM audit_log WHERE action = 'test.immutable'`)).rejects.toThrow(/append-only/);
    });
  });

  it('writes new rows with the keyed hash (version 2)', async () => {
    const entry = await audit.append(ctx.dataSource.manager, { actorId: null, action: 'test.keyed', subjectType: 'test' });
    const [row] = await ctx.dataSource.query(`SELECT hash_version FROM audit_log WHERE id = $1`, [entry.id]);
    expect(row.hash_version).toBe(2);
  });

  it('rolls the audit row back with the change it records', async () => {
    await expect(
      ctx.dataSource.transaction(async (tx) => {
        await audit.append(tx, { actorId: null, action: 'test.rolled_back', subjectType: 'test' });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    const [{ count }] = await ctx.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'test.rolled_back'`);
    expect(count).toBe(0);
  });

  it('detects a tampered row and names it as the first broken link (admin endpoint)', async () => {
    const admin = await ctx.newAdmin();
    const target = await audit.append(ctx.dataSource.manager, {
      actorId: null,
      action: 'test.tamper_target',
      subjectType: 'test',
      data: { score: 12 },
    });
    await audit.append(ctx.dataSource.manager, { actorId: null, action: 'test.after_target', subjectType: 'test' });
    const before = await ctx.http.get('/api/admin/audit/verify').set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
    expect(before.body.valid).toBe(true);

    // Someone with the owner's credentials bypasses the append-only trigger and edits a decision.
    const tamper = (score: number) =>
      tamperWithAuditLog(`UPDATE audit_log SET data = jsonb_build_object('score', $2::int) WHERE id = $1`, [target.id, score]);
    await tamper(20);
    try {
      const after = await ctx.http.get('/api/admin/audit/verify').set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
      expect(after.body).toMatchObject({
        valid: false,
        checkedRows: expect.any(Number),
        firstBrokenId: target.id,
        reason: 'content does not match its hash',
        checkpoints: expect.any(Number),
      });
    } finally {
      await tamper(12); // restore so the rest of the run sees a valid chain
    }
    expect((await audit.verifyChain()).valid).toBe(true);
  });
});
