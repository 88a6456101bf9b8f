import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeProtectedHeader } from 'jose';
import { Client } from 'pg';
import type request from 'supertest';
import { WorkerModule } from '../../src/app.module';
import { JobWorker } from '../../src/infrastructure/queue/job-worker';
import { OutboxRelay } from '../../src/infrastructure/queue/outbox-relay';
import { SigningKeys, storedKid } from '../../src/infrastructure/signing/signing-keys';
import { AuditCheckpoints } from '../../src/modules/audit/audit-checkpoints.service';
import { AuditService } from '../../src/modules/audit/audit.service';
import { BankSyncService } from '../../src/modules/question-bank/bank-sync.service';
import { appRoleUrl } from '../app-role';
import { buildApiIfStale } from '../drills/platform';
import { OwnDatabase } from '../own-database';
import { eventually, TestContext, type TestUser } from '../test-app';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/backup.mjs');
const PDF = Buffer.from('%PDF-1.7\n% backup drill\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n');

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node scripts/backup.mjs …` as an operator would, against the given database and DATA_DIR. */
function script(args: string[], env: { ownerUrl: string; dataDir: string }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_OWNER_URL: env.ownerUrl, DATABASE_URL: appRoleUrl(env.ownerUrl), DATA_DIR: env.dataDir },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function query<T = any>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query(sql, params)).rows;
  } finally {
    await pg.end();
  }
}

/** Every public table's row count and content checksum, and what a restore must carry over besides rows. */
async function fingerprint(url: string) {
  const tables = await query<{ name: string }>(
    url,
    `SELECT relname AS name FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY relname`,
  );
  const content: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await query(
      url,
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS sum FROM ${name} t`,
    );
    content[name] = `${row.n} ${row.sum}`;
  }
  const grants = await query(
    url,
    `SELECT c.relname, array(SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
                              WHERE has_table_privilege('psf_app', c.oid, p)) AS privileges
       FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY 1`,
  );
  const triggers = await query(
    url,
    `SELECT tgrelid::regclass::text AS t, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2`,
  );
  const deferrable = await query(url, `SELECT conname FROM pg_constraint WHERE contype = 'f' AND condeferrable ORDER BY 1`);
  return { content, grants, triggers, deferrable };
}

/** DATA_DIR's files, relative path → SHA-256. */
function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string, rel: string) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full, `${rel}${name}/`);
      else out[`${rel}${name}`] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

/**
 * The backup with one row of item_versions pointing at an item that does not exist, every checksum recomputed: a
 * file that passes every format check and fails only when its foreign keys are checked, at the very end of the
 * restore's transaction (item_versions → items is the key the cycle defers), after the files were staged.
 */
function withDanglingItemVersion(backup: Buffer): Buffer {
  const src = gunzipSync(backup);
  const out: Buffer[] = [];
  let pos = 0;
  const line = () => {
    const at = src.indexOf(10, pos);
    const text = src.subarray(pos, at).toString('utf8');
    pos = at + 1;
    return text;
  };
  let itemIdColumn = -1;
  while (pos < src.length) {
    const record = JSON.parse(line());
    if (record.format)
      itemIdColumn = record.tables.find((t: any) => t.name === 'item_versions').columns.findIndex(([c]: string[]) => c === 'item_id');
    if (record.table === undefined && record.file === undefined) {
      out.push(Buffer.from(`${JSON.stringify(record)}\n`));
      continue;
    }
    const parts: Buffer[] = [];
    for (let n = Number(line()); n > 0; n = Number(line())) {
      parts.push(src.subarray(pos, pos + n));
      pos += n;
    }
    let data = Buffer.concat(parts);
    const end = JSON.parse(line());
    if (record.table === 'item_versions') {
      const rows = data.toString('utf8').split('\n');
      const fields = rows[0].split('\t');
      fields[itemIdColumn] = 'no-such-item';
      rows[0] = fields.join('\t');
      data = Buffer.from(rows.join('\n'));
      Object.assign(end, { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    }
    out.push(Buffer.from(`${JSON.stringify(record)}\n`));
    if (data.length) out.push(Buffer.from(`${data.length}\n`), data);
    out.push(Buffer.from(`0\n${JSON.stringify(end)}\n`));
  }
  return gzipSync(Buffer.concat(out));
}

/** `npm run backup` of a used instance, restored into a fresh one: the same rows, files, audit chain, accounts and keys. */
describe('backup and restore', () => {
  const shared = { ownerUrl: process.env.DATABASE_OWNER_URL, prefix: process.env.REDIS_PREFIX };
  const work = mkdtempSync('/tmp/psf-backup-test-');
  const targetDir = path.join(work, 'target-data');
  const backupFile = path.join(work, 'source.psfbackup');
  const targetName = `${process.env.PSF_TEST_DATABASE}_restored`;
  const targetUrl = (() => {
    const u = new URL(process.env.DATABASE_OWNER_URL!);
    u.pathname = `/${targetName}`;
    return u.toString();
  })();
  let own: OwnDatabase;
  let sourceUrl: string;
  let sourceDir: string;
  let candidate: TestUser;
  let admin: TestUser;
  let certificateNumber: string;
  let attachmentId: string;

  // The source: an instance used through the API and the worker (the bank, AIDA passed and its certificate, an upload, mail,
  // audit entries and a checkpoint), with a DATA_DIR of its own.
  beforeAll(async () => {
    buildApiIfStale();
    own = await OwnDatabase.use('backup');
    sourceUrl = process.env.DATABASE_OWNER_URL!;
    sourceDir = process.env.DATA_DIR!;
    const ctx = await TestContext.create();
    await ctx.app.get(BankSyncService).syncFromFiles(path.join(ROOT, 'question-bank'));
    const worker: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    worker.get(JobWorker).start({ concurrency: 4 });
    worker.get(OutboxRelay).start();
    try {
      candidate = await ctx.newCandidate();
      admin = await ctx.newAdmin();
      const as = ctx.as(candidate);
      const attempt = (await as.post('/api/exams/aida/attempts').expect(201)).body;
      for (const q of attempt.questions) {
        const [row] = await ctx.dataSource.query(
          `SELECT q.options, v.content->'options' AS vo
             FROM attempt_questions q JOIN item_versions v ON v.id = q.item_version_id WHERE q.id = $1`,
          [q.id],
        );
        const key = row.vo.find((o: { key: boolean }) => o.key).id;
        const optionId = row.options.find((o: { source: string }) => o.source === key).id;
        await as.put(`/api/exams/aida/attempts/${attempt.id}/answers/${q.id}`, { optionId }).expect(200);
      }
      await as.post(`/api/exams/aida/attempts/${attempt.id}/submit`).expect(200);
      const certificate = await eventually(async () => (await as.get('/api/certificates').expect(200)).body[0], 'the certificate');
      certificateNumber = certificate.number;
      await as.get(`/api/certificates/${certificate.id}/pdf`).expect(200);
      await as.get('/api/portfolios/CPAP').expect(200);
      const upload = await (as.post('/api/portfolios/CPAP/evidence/D04.2/attachments') as request.Test)
        .attach('file', PDF, 'runbook.pdf')
        .expect(201);
      attachmentId = upload.body.id;
      await eventually(
        async () =>
          (await ctx.dataSource.query(`SELECT 1 FROM notifications WHERE recipient = $1 AND sent_at IS NOT NULL`, [candidate.email]))
            .length,
        'the certificate mail',
        600,
      );
      expect((await worker.get(AuditCheckpoints).write({ force: true })).written).toBe(true);
    } finally {
      await worker.get(OutboxRelay).stop();
      await worker.get(JobWorker).stop();
      await worker.close();
      await ctx.close();
    }
    await query(shared.ownerUrl!, `CREATE DATABASE ${targetName}`);
  }, 300_000);

  afterAll(async () => {
    await own.release(); // puts DATABASE_URL, DATABASE_OWNER_URL, REDIS_PREFIX and DATA_DIR back
    await query(shared.ownerUrl!, `DROP DATABASE IF EXISTS ${targetName} WITH (FORCE)`);
    rmSync(work, { recursive: true, force: true });
  });

  let source: Awaited<ReturnType<typeof fingerprint>>;

  it('writes one file from a consistent snapshot and says what is in it', async () => {
    const run = await script(['backup', '--out', backupFile], { ownerUrl: sourceUrl, dataDir: sourceDir });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    process.stdout.write(run.stdout);
    expect(run.stdout).toMatch(/backup: \d+ tables, \d+ rows, \d+ files .* written to .*source\.psfbackup in/);
    expect(readdirSync(work).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    source = await fingerprint(sourceUrl);
    expect(Object.keys(filesOf(sourceDir))).toEqual(
      expect.arrayContaining(['audit/checkpoints.jsonl', expect.stringMatching(/^files\/portfolios\//), expect.stringMatching(/^mail\//)]),
    );
  }, 120_000);

  it('refuses a truncated backup before touching the target', async () => {
    const truncated = path.join(work, 'truncated.psfbackup');
    const whole = readFileSync(backupFile);
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const run = await script(['restore', truncated], { ownerUrl: targetUrl, dataDir: targetDir });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 2 });
    expect(run.stderr).toMatch(/cannot be restored: .*truncated.*nothing was changed/);
    expect(await query(targetUrl, `SELECT 1 FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).toEqual([]);
  }, 60_000);

  it('rolls everything back when the data fails at the end of the transaction', async () => {
    const dangling = path.join(work, 'dangling.psfbackup');
    writeFileSync(dangling, withDanglingItemVersion(readFileSync(backupFile)));
    const run = await script(['restore', dangling], { ownerUrl: targetUrl, dataDir: targetDir });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 1 });
    expect(run.stderr).toMatch(/restore: failed: .*item_versions.*foreign key/);
    const after = await fingerprint(targetUrl);
    for (const table of ['users', 'audit_log', 'items', 'item_versions', 'certificates', 'signing_keys']) {
      expect(after.content[table]).toMatch(/^0 /);
    }
    // The constraint deferred for the load and the paused triggers are as the migrations left them.
    expect(after.deferrable).toEqual([]);
    expect(after.triggers).toEqual(source.triggers);
    expect(filesOf(targetDir)).toEqual({});
  }, 300_000);

  it('restores into a fresh database: every row, file, sequence, grant and trigger', async () => {
    const run = await script(['restore', backupFile], { ownerUrl: targetUrl, dataDir: targetDir });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    process.stdout.write(run.stdout);
    expect(run.stdout).toMatch(/restore: \d+ tables, \d+ rows, \d+ files .* in [\d.]+ s; schema at /);
    const target = await fingerprint(targetUrl);
    expect(target.content).toEqual(source.content);
    expect(target.grants).toEqual(source.grants);
    expect(target.triggers).toEqual(source.triggers);
    expect(target.deferrable).toEqual([]);
    expect(filesOf(targetDir)).toEqual(filesOf(sourceDir));
    const seq = `SELECT last_value::text AS v, is_called FROM audit_log_id_seq`;
    expect(await query(targetUrl, seq)).toEqual(await query(sourceUrl, seq));
  }, 300_000);

  it('refuses to restore over an instance in use, changing nothing', async () => {
    const before = await fingerprint(targetUrl);
    const run = await script(['restore', backupFile], { ownerUrl: targetUrl, dataDir: path.join(work, 'other-data') });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 2 });
    expect(run.stderr).toMatch(/is in use \(rows in .*\): a restore goes into a fresh instance only/);
    expect(await fingerprint(targetUrl)).toEqual(before);
  }, 120_000);

  it('serves the restored instance: audit chain and checkpoints verify, people sign in, keys unseal, ids continue', async () => {
    Object.assign(process.env, {
      DATABASE_OWNER_URL: targetUrl,
      DATABASE_URL: appRoleUrl(targetUrl),
      DATA_DIR: targetDir,
      REDIS_PREFIX: `${shared.prefix}restored`,
    });
    const ctx = await TestContext.create();
    try {
      const report = await ctx.app.get(AuditService).verifyChain();
      const checkpoints = readFileSync(path.join(sourceDir, 'audit/checkpoints.jsonl'), 'utf8').trim().split('\n').length;
      expect(checkpoints).toBeGreaterThan(0);
      expect(report).toMatchObject({ valid: true, checkpoints });
      expect(report.checkedRows).toBe(Number(source.content.audit_log.split(' ')[0]));
      // The candidate's password, the admin's sealed TOTP secret: sign-ins write new audit rows past the restored sequence.
      await ctx.signIn(candidate);
      await ctx.signIn(admin);
      const download = await binary(ctx.as(candidate).get(`/api/attachments/${attachmentId}`)).expect(200);
      expect(download.body).toEqual(PDF);
      const [{ kid }] = await ctx.dataSource.query(`SELECT kid FROM signing_keys WHERE status = 'current'`);
      const signed = await ctx.app.get(SigningKeys).signVcJwt({ id: 'urn:uuid:restored-key-check' });
      expect(storedKid(decodeProtectedHeader(signed).kid!)).toBe(kid);
      const verified = await ctx.http.get(`/api/public/certificates/${certificateNumber}`).expect(200);
      expect(verified.body).toMatchObject({ number: certificateNumber, status: 'active' });
      expect(await ctx.app.get(AuditService).verifyChain()).toMatchObject({ valid: true });
      const [{ n }] = await ctx.dataSource.query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(n).toBeGreaterThan(report.checkedRows);
    } finally {
      await ctx.close();
    }
  }, 120_000);
});
