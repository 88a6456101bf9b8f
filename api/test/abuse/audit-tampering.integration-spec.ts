import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type AuditContent, chainHash } from '../../src/modules/audit/audit-chain';
import { DataSource } from 'typeorm';
import { auditLogExposure, auditLogUnprotected } from '../../src/infrastructure/database/database-role';
import { dataSourceOptions } from '../../src/infrastructure/database/data-source-options';
import { AuditCheckpoints } from '../../src/modules/audit/audit-checkpoints.service';
import { AuditService } from '../../src/modules/audit/audit.service';
import { asOwner, tamperWithAuditLog } from '../audit-owner';
import { OwnDatabase } from '../own-database';
import { TestContext } from '../test-app';

interface StoredRow {
  id: string;
  occurred_at: Date;
  actor_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
  hash_version: number;
}

const contentOf = (r: StoredRow): AuditContent => ({
  occurredAt: r.occurred_at.toISOString(),
  actorId: r.actor_id,
  action: r.action,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  data: r.data,
});

/**
 * Issue #14, abuse: someone with the application's database credentials (psf_app) tries to rewrite the
 * audit log and cannot; someone with the owner's credentials can, and verification catches each way:
 * an edited row with the old plain hashes recomputed, a deleted row, the newest rows cut off.
 * In a database and checkpoint file of its own, since it breaks the chain on purpose.
 */
describe('abuse: tampering with the audit log', () => {
  let own: OwnDatabase;
  let ctx: TestContext;
  let audit: AuditService;
  const checkpointDir = mkdtempSync(path.join(os.tmpdir(), 'psf-audit-checkpoints-'));
  const previousCheckpointFile = process.env.AUDIT_CHECKPOINT_FILE;

  const rows = async (): Promise<StoredRow[]> => asOwner(async (o) => (await o.query(`SELECT * FROM audit_log ORDER BY id`)).rows);
  const appendSome = async (label: string, n: number) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(
        (await audit.appendAlone({ actorId: null, action: `test.${label}`, subjectType: 'test', subjectId: String(i), data: { i } })).id,
      );
    }
    return ids;
  };
  /** Puts rows back exactly as they were (the owner can; the chain then verifies again). */
  const restore = async (saved: StoredRow[]) => {
    for (const r of saved) {
      await tamperWithAuditLog(
        `INSERT INTO audit_log (id, occurred_at, actor_id, action, subject_type, subject_id, data, prev_hash, hash, hash_version)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (id) DO UPDATE SET occurred_at = $2, actor_id = $3, action = $4, subject_type = $5, subject_id = $6, data = $7,
             prev_hash = $8, hash = $9, hash_version = $10`,
        [
          r.id,
          r.occurred_at,
          r.actor_id,
          r.action,
          r.subject_type,
          r.subject_id,
          JSON.stringify(r.data),
          r.prev_hash,
          r.hash,
          r.hash_version,
        ],
      );
    }
  };

  beforeAll(async () => {
    own = await OwnDatabase.use('audit');
    process.env.AUDIT_CHECKPOINT_FILE = path.join(checkpointDir, 'checkpoints.jsonl');
    ctx = await TestContext.create();
    audit = ctx.app.get(AuditService);
    await appendSome('seed', 5);
  });
  afterAll(async () => {
    await ctx?.close();
    if (previousCheckpointFile === undefined) delete process.env.AUDIT_CHECKPOINT_FILE;
    else process.env.AUDIT_CHECKPOINT_FILE = previousCheckpointFile;
    await own?.release();
    rmSync(checkpointDir, { recursive: true, force: true });
  });

  it('the application connects as psf_app, which can neither rewrite audit_log nor switch its triggers off', async () => {
    const [{ role }] = await ctx.dataSource.query(`SELECT current_user AS role`);
    expect(role).toBe('psf_app');
    const before = await rows();
    const target = before[2].id;

    await expect(ctx.dataSource.query(`UPDATE audit_log SET action = 'test.rewritten' WHERE id = $1`, [target])).rejects.toThrow(
      /permission denied for table audit_log/,
    );
    await expect(ctx.dataSource.query(`DELETE FROM audit_log WHERE id = $1`, [target])).rejects.toThrow(
      /permission denied for table audit_log/,
    );
    await expect(ctx.dataSource.query(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied for table audit_log/);
    await expect(ctx.dataSource.query(`ALTER TABLE audit_log DISABLE TRIGGER ALL`)).rejects.toThrow(
      /must be owner of (table|relation) audit_log/,
    );
    await expect(ctx.dataSource.query(`DROP TRIGGER audit_log_append_only ON audit_log`)).rejects.toThrow(
      /must be owner of (table|relation) audit_log/,
    );
    await expect(ctx.dataSource.query(`DELETE FROM schema_migrations`)).rejects.toThrow(/permission denied/);

    expect(await rows()).toEqual(before);
    expect(await audit.verifyChain()).toMatchObject({ valid: true, checkedRows: before.length });
  });

  it('the boot check tells the two roles apart: psf_app is protected, the owner is not (production refuses it)', async () => {
    expect(auditLogUnprotected(await auditLogExposure(ctx.dataSource))).toBe(false);
    const owner = await new DataSource(dataSourceOptions(process.env.DATABASE_OWNER_URL!, 1)).initialize();
    try {
      const exposure = await auditLogExposure(owner);
      expect(exposure.superuser || exposure.ownsAuditLog).toBe(true);
      expect(auditLogUnprotected(exposure)).toBe(true);
    } finally {
      await owner.destroy();
    }
  });

  it('an edited row is named even when the editor recomputed the plain SHA-256 hashes of it and every later row', async () => {
    await appendSome('before_edit', 3);
    const saved = await rows();
    const target = saved[saved.length - 3];
    // The owner rewrites the tail in the old, unkeyed algorithm: every link is a valid SHA-256 link.
    let prev = saved[saved.length - 4].hash;
    for (const r of saved.slice(saved.length - 3)) {
      const data = r.id === target.id ? { ...(r.data as object), i: 999 } : r.data;
      const hash = chainHash(prev, { ...contentOf(r), data });
      await tamperWithAuditLog(`UPDATE audit_log SET data = $2, prev_hash = $3, hash = $4, hash_version = 1 WHERE id = $1`, [
        r.id,
        JSON.stringify(data),
        prev,
        hash,
      ]);
      prev = hash;
    }
    try {
      expect(await audit.verifyChain()).toMatchObject({ valid: false, firstBrokenId: target.id });
      // Even calling the rewritten rows version 2 does not help: without the key the HMAC cannot be made.
      await tamperWithAuditLog(`UPDATE audit_log SET hash_version = 2 WHERE id >= $1`, [target.id]);
      expect(await audit.verifyChain()).toMatchObject({
        valid: false,
        firstBrokenId: target.id,
        reason: 'content does not match its hash',
      });
    } finally {
      await restore(saved.slice(saved.length - 3));
    }
    expect(await audit.verifyChain()).toMatchObject({ valid: true });
  });

  it('a deleted row in the middle breaks the next link, and verification names it', async () => {
    const [, middle, after] = await appendSome('delete_middle', 3);
    const [saved] = (await rows()).filter((r) => r.id === middle);
    expect(await tamperWithAuditLog(`DELETE FROM audit_log WHERE id = $1`, [middle])).toBe(1);
    try {
      expect(await audit.verifyChain()).toMatchObject({
        valid: false,
        firstBrokenId: after,
        reason: 'prev_hash does not match the previous row',
      });
    } finally {
      await restore([saved]);
    }
    expect(await audit.verifyChain()).toMatchObject({ valid: true });
  });

  it('cutting off the newest rows after a checkpoint is reported as truncation, and no new checkpoint vouches for the cut log', async () => {
    const ids = await appendSome('truncate', 3);
    const checkpoints = ctx.app.get(AuditCheckpoints);
    const written = await checkpoints.write({ force: true });
    expect(written).toMatchObject({ written: true, checkpoint: { headId: ids[2] } });
    expect(await audit.verifyChain()).toMatchObject({ valid: true, checkpoints: 1 });

    // The owner deletes the newest two rows: what is left is a perfectly linked (shorter) chain.
    expect(await tamperWithAuditLog(`DELETE FROM audit_log WHERE id >= $1`, [ids[1]])).toBe(2);
    const report = await audit.verifyChain();
    expect(report).toMatchObject({ valid: false, firstBrokenId: ids[2] });
    expect(report.reason).toMatch(/newest rows are missing/);

    // Nor will the next checkpoint accept the cut log as the new head.
    expect(await checkpoints.write({ force: true })).toMatchObject({ written: false, why: 'broken', problem: { firstBrokenId: ids[2] } });
  });
});
