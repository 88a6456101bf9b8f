#!/usr/bin/env node
// `npm run backup [-- --out FILE]` and `npm run restore -- FILE` (README, "Backups").
//
// backup: one consistent snapshot of the database (a REPEATABLE READ READ ONLY transaction, every table of the
// public schema COPYed out of it, then the sequences) followed by the files of DATA_DIR, streamed into one
// gzipped file (scripts/lib/backup-format.mjs) written as FILE.partial, flushed to disk, then renamed.
// restore: into a fresh instance only. The whole file is checked first; then this code's migrations are
// applied up to the backup's, every table is loaded in one transaction (foreign-key order, row counts checked
// before COMMIT), the files are put in place, and any newer migrations run.
//
// The database is the one the other commands use: DATABASE_OWNER_URL, else DATABASE_URL, else the embedded
// one of `npm start` (its runtime.json while it runs, or started here for the duration, as scripts/cli.mjs does).
// No pg_dump: the embedded server is newer than the system's client tools, and node-pg is enough.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { connect, dependencyOrder, foreignKeys, ident, listSequences, listTables, where } from './lib/backup-catalog.mjs';
import { BackupFormatError, BackupWriter, FORMAT, readBackup, Refusal, VERSION } from './lib/backup-format.mjs';
import { restoreDatabase } from './lib/backup-restore.mjs';
import { buildIfStale, DATA_DIR, ensureDependencies, log, ROOT, runningInstance } from './lib/env.mjs';
import { copyOut } from './lib/pg-copy.mjs';

const SECRETS_FILE = 'secrets.json';
// Kept out of a backup: the embedded database's own files (the backup has its rows), Redis (jobs are rebuilt
// from the outbox), the running instance's runtime.json, earlier backups, and files being written.
const SKIPPED_TOP = new Set(['postgres', 'test-postgres', 'redis', 'backups', 'runtime.json']);
const SKIPPED_NAME = /\.(tmp|partial|pid|log)$/;

const userPath = (p) => path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
const size = (bytes) => (bytes < 1_048_576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`);
const seconds = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/**
 * The owner's connection (schema changes, every table readable), resolved as scripts/cli.mjs does. Without a
 * configured or running database, the embedded one under DATA_DIR is started for the duration; `create`
 * allows initialising it (restore into a new DATA_DIR), else its absence is an error.
 */
async function ownerDatabase({ create }) {
  const configured = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (configured) return { url: configured, stop: async () => undefined };
  const runtime = runningInstance();
  if (runtime) return { url: runtime.DATABASE_OWNER_URL || runtime.DATABASE_URL, stop: async () => undefined };
  const dir = path.join(DATA_DIR, 'postgres');
  if (!create && !existsSync(path.join(dir, 'PG_VERSION'))) {
    throw new Refusal(
      `no database: DATABASE_URL is not set and ${dir} holds no embedded one (run \`npm start\` once, or set DATABASE_URL)`,
    );
  }
  const { localSecrets, startEmbeddedPostgres } = await import('./lib/services.mjs');
  const pg = await startEmbeddedPostgres({ dir, password: localSecrets().postgresPassword });
  return { url: pg.url, stop: pg.stop, embedded: true };
}

/** DATA_DIR's regular files, relative and sorted, minus what a backup leaves out (above) and `exclude`. */
function dataDirFiles(exclude) {
  const found = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if ((!rel && SKIPPED_TOP.has(entry.name)) || SKIPPED_NAME.test(entry.name) || exclude.has(full)) continue;
      if (entry.isDirectory()) walk(full, relPath);
      else if (entry.isFile()) found.push(relPath);
    }
  };
  if (existsSync(DATA_DIR)) walk(DATA_DIR, '');
  return found;
}

/** AUDIT_CHECKPOINT_FILE as the API resolves it (relative to the repository, default under DATA_DIR). */
const checkpointFile = () => path.resolve(ROOT, process.env.AUDIT_CHECKPOINT_FILE ?? path.join(DATA_DIR, 'audit', 'checkpoints.jsonl'));

/**
 * The checkpoint lines the snapshot can honour. The worker may append one between the snapshot and the copy
 * of the files; it names a head the backup does not have, and a restored instance would then fail
 * `audit:verify` as if its newest rows had been cut off. Lines past the snapshot's head are left out.
 */
function checkpointsUpTo(file, auditHead) {
  const head = auditHead === null ? -1n : BigInt(auditHead);
  const lines = readFileSync(file, 'utf8').split('\n');
  let dropped = 0;
  const kept = lines.filter((line) => {
    if (!line.trim()) return false;
    let headId;
    try {
      headId = BigInt(JSON.parse(line).headId);
    } catch {
      return true; // not ours to judge: audit:verify reports it as it would on the source
    }
    if (headId <= head) return true;
    dropped++;
    return false;
  });
  return { data: Buffer.from(kept.map((l) => `${l}\n`).join('')), dropped };
}

async function* fileChunks(file) {
  const handle = await fs.open(file, 'r');
  try {
    yield* handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: false });
  } finally {
    await handle.close();
  }
}

async function backup(args) {
  const { values } = parseArgs({ args, options: { out: { type: 'string' } } });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const out = values.out ? userPath(values.out) : path.join(DATA_DIR, 'backups', `psf-${stamp}.psfbackup`);
  const partial = `${out}.partial`;
  if (existsSync(out)) throw new Refusal(`${out} exists: name another file with --out`);
  if (existsSync(partial)) throw new Refusal(`${partial} exists: another backup is writing it, or one failed (remove it)`);
  mkdirSync(path.dirname(out), { recursive: true, mode: 0o700 });

  const t0 = performance.now();
  const db = await ownerDatabase({ create: false });
  const writer = new BackupWriter(partial);
  let client;
  try {
    client = await connect(db.url);
    // One snapshot for every table; the locks only keep DDL (a migration) from changing a table meanwhile.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const tables = await listTables(client);
    if (!tables.some((t) => t.name === 'schema_migrations')) {
      throw new Refusal(`${where(db.url)} has no schema_migrations table: not a database of the platform`);
    }
    await client.query(`LOCK TABLE ${tables.map((t) => ident(t.name)).join(', ')} IN ACCESS SHARE MODE`);
    const migrations = (await client.query('SELECT "timestamp"::text AS timestamp, name FROM schema_migrations ORDER BY "timestamp", id'))
      .rows;
    const byName = new Map(tables.map((t) => [t.name, t]));
    // schema_migrations travels as the header's migration list: the restore rebuilds it by migrating.
    const order = dependencyOrder([...byName.keys()], await foreignKeys(client)).filter((n) => n !== 'schema_migrations');
    const server = (await client.query('SHOW server_version')).rows[0].server_version;
    await writer.json({
      format: FORMAT,
      version: VERSION,
      createdAt: new Date().toISOString(),
      server,
      migrations,
      tables: order.map((name) => ({ name, columns: byName.get(name).columns })),
    });
    const rows = {};
    for (const name of order) {
      const columns = byName
        .get(name)
        .columns.map(([c]) => ident(c))
        .join(', ');
      const copy = copyOut(client, `COPY ${ident(name)} (${columns}) TO STDOUT`);
      const end = await writer.section({ table: name }, copy, () => ({ rows: copy.result.rows }));
      if (end.rows !== end.lines) throw new Error(`${name}: COPY reported ${end.rows} rows but sent ${end.lines} lines`);
      rows[name] = end.rows;
    }
    // Read after the tables: a sequence is not part of the snapshot, and a later value only skips ids.
    const sequences = [];
    for (const s of await listSequences(client)) {
      const [v] = (await client.query(`SELECT last_value::text AS value, is_called FROM ${ident(s.name)}`)).rows;
      sequences.push({ name: s.name, table: s.table, lastValue: v.value, isCalled: v.is_called });
    }
    const auditHead = byName.has('audit_log') ? (await client.query('SELECT max(id)::text AS id FROM audit_log')).rows[0].id : null;
    await client.query('COMMIT');
    await client.end();
    client = null;

    // Files after the snapshot: uploads and mail write their file before their row commits, so a row in the
    // snapshot always finds its file; a file newer than the snapshot is at worst an orphan.
    const checkpoints = checkpointFile();
    let fileCount = 0;
    let fileBytes = 0;
    let droppedCheckpoints = 0;
    for (const rel of dataDirFiles(new Set([out, partial]))) {
      const full = path.join(DATA_DIR, rel);
      // Opened before its record is written: a file deleted meanwhile (retention, an erasure) is simply not kept.
      let handle;
      let filtered = null;
      try {
        if (full === checkpoints) filtered = checkpointsUpTo(full, auditHead);
        else handle = await fs.open(full, 'r');
      } catch (error) {
        if (error?.code === 'ENOENT') continue;
        throw error;
      }
      try {
        const mode = filtered ? statSync(full).mode & 0o777 : (await handle.stat()).mode & 0o777;
        const data = filtered ? [filtered.data] : handle.createReadStream({ highWaterMark: 64 * 1024, autoClose: false });
        const end = await writer.section({ file: rel, mode }, data);
        droppedCheckpoints += filtered?.dropped ?? 0;
        fileCount++;
        fileBytes += end.bytes;
      } finally {
        await handle?.close();
      }
    }
    for (const [variable, dir] of [
      ['MAIL_DIR', process.env.MAIL_DIR],
      ['AUDIT_CHECKPOINT_FILE', process.env.AUDIT_CHECKPOINT_FILE],
      ['SIGNING_KEYS_DIR', process.env.SIGNING_KEYS_DIR],
    ]) {
      const resolved = dir && path.resolve(ROOT, dir);
      if (resolved && path.relative(DATA_DIR, resolved).startsWith('..'))
        log(`backup: ${variable} (${resolved}) is outside DATA_DIR: not in the backup`);
    }
    await writer.json({ trailer: true, tables: rows, sequences, files: fileCount, fileBytes });
    await writer.finish();
    await fs.rename(partial, out);
    const dir = await fs.open(path.dirname(out), 'r');
    await dir.sync().finally(() => dir.close());

    const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
    const dropped = droppedCheckpoints ? `; ${droppedCheckpoints} audit checkpoints newer than the snapshot left out` : '';
    log(
      `backup: ${order.length} tables, ${totalRows} rows, ${fileCount} files (${size(fileBytes)}), ` +
        `${size(statSync(out).size)} written to ${out} in ${seconds(t0)} ` +
        `(database ${where(db.url)} at migration ${migrations.at(-1)?.name ?? 'none'}${dropped})`,
    );
  } catch (error) {
    writer.abort();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client?.end().catch(() => undefined);
    await db.stop();
  }
}

// ----- restore -----

/** The migrations this code has, in the order TypeORM applies them (by timestamp), with their classes. */
function codeMigrations(requireApi) {
  const dir = path.join(ROOT, 'api/dist/migrations');
  const found = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    for (const cls of Object.values(requireApi(path.join(dir, file))).filter((v) => typeof v === 'function')) {
      const name = new cls().name ?? cls.name;
      found.push({ name, timestamp: Number(/(\d{13})$/.exec(name)?.[1] ?? NaN), cls });
    }
  }
  return found.sort((a, b) => a.timestamp - b.timestamp);
}

/** First pass over the whole file: it must be whole before anything is touched. Keeps what the restore plans with. */
async function inspect(file) {
  const files = [];
  let secrets = null;
  const { header, trailer } = await readBackup(file, {
    file: async (record, chunks) => {
      if (record.file !== SECRETS_FILE) return;
      const parts = [];
      for await (const c of chunks) parts.push(c);
      secrets = Buffer.concat(parts);
    },
    sectionEnd: (kind, record, end) => {
      if (kind === 'file') files.push({ rel: record.file, bytes: end.bytes, sha256: end.sha256 });
    },
  });
  for (const f of files) {
    const target = path.resolve(DATA_DIR, f.rel);
    if (!target.startsWith(DATA_DIR + path.sep) || f.rel.split('/').some((p) => p === '..' || p === '')) {
      throw new Refusal(`the backup names a file outside DATA_DIR (${JSON.stringify(f.rel)}): refusing it`);
    }
  }
  return { header, trailer, files, secrets };
}

const sha256Of = async (file) => {
  const hash = createHash('sha256');
  for await (const c of fileChunks(file)) hash.update(c);
  return hash.digest('hex');
};

async function restore(args) {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new Refusal('usage: npm run restore -- FILE');
  const file = userPath(positionals[0]);
  if (!existsSync(file)) throw new Refusal(`${file} does not exist`);
  const t0 = performance.now();

  let plan;
  try {
    plan = await inspect(file);
  } catch (error) {
    if (error instanceof BackupFormatError) throw new Refusal(`${file} cannot be restored: ${error.message}; nothing was changed`);
    throw error;
  }
  const { header, trailer } = plan;

  // Known by their timestamps (the migrations folder's file names), so a refusal needs no build of the API.
  const known = new Set(readdirSync(path.join(ROOT, 'migrations')).map((f) => /^(\d{13})-/.exec(f)?.[1]));
  const unknown = header.migrations.filter((m) => !known.has(m.timestamp));
  if (unknown.length) {
    throw new Refusal(
      `the backup comes from newer code (migrations unknown here: ${unknown.map((m) => m.name).join(', ')}): restore it with that version`,
    );
  }

  const conflicts = [];
  for (const f of plan.files) {
    const target = path.join(DATA_DIR, f.rel);
    if (existsSync(target) && (await sha256Of(target)) !== f.sha256) conflicts.push(f.rel);
  }
  if (conflicts.length) {
    throw new Refusal(
      `DATA_DIR (${DATA_DIR}) already has files that differ from the backup's: ${conflicts.slice(0, 5).join(', ')}` +
        `${conflicts.length > 5 ? ` and ${conflicts.length - 5} more` : ''}; restore into a new DATA_DIR`,
    );
  }
  // A new embedded instance must start with the backed-up development secrets (the JWT secret that sealed keys
  // and TOTP secrets); its database password is then the backup's too.
  const secretsPath = path.join(DATA_DIR, SECRETS_FILE);
  const embeddedNew =
    !process.env.DATABASE_OWNER_URL && !process.env.DATABASE_URL && !existsSync(path.join(DATA_DIR, 'postgres', 'PG_VERSION'));
  if (embeddedNew && plan.secrets && !existsSync(secretsPath)) {
    mkdirSync(DATA_DIR, { recursive: true });
    await fs.writeFile(secretsPath, plan.secrets, { mode: 0o600, flag: 'wx' });
  }

  const db = await ownerDatabase({ create: true });
  try {
    // Only now the API's build: its migrations are what the restore runs (none of them is needed to refuse).
    const loadCode = () => {
      buildIfStale('api');
      const requireApi = createRequire(path.join(ROOT, 'api/dist/api/src/cli.js'));
      return { requireApi, migrations: codeMigrations(requireApi) };
    };
    const result = await restoreDatabase({ url: db.url, file, plan, loadCode, readBackup, dataDir: DATA_DIR });
    const totalRows = Object.values(trailer.tables).reduce((a, b) => a + b, 0);
    const newer = result.newer.length ? `, then ${result.newer.length} newer migrations applied` : '';
    log(
      `restore: ${header.tables.length} tables, ${totalRows} rows, ${trailer.files} files (${size(trailer.fileBytes)}; ` +
        `${result.filesWritten} written, ${trailer.files - result.filesWritten} already there) from ${file} ` +
        `(made ${header.createdAt}) into ${where(db.url)} in ${seconds(t0)}; schema at ${header.migrations.at(-1)?.name ?? 'none'}${newer}`,
    );
  } finally {
    await db.stop();
  }
}

const [command, ...args] = process.argv.slice(2);
if (command !== 'backup' && command !== 'restore') {
  process.stderr.write('usage: node scripts/backup.mjs backup [--out FILE] | restore FILE\n');
  process.exit(2);
}
ensureDependencies();
try {
  await (command === 'backup' ? backup(args) : restore(args));
} catch (error) {
  process.stderr.write(`[psf] ${command}: ${error instanceof Refusal ? '' : 'failed: '}${error?.message ?? error}\n`);
  process.exit(error instanceof Refusal ? 2 : 1);
}
