// The database half of `npm run restore` (scripts/backup.mjs checks the file, the code's migrations and DATA_DIR
// first): migrate a fresh database to the backup's schema, load every table in one transaction, put the files
// in place once it has committed, then apply the migrations the backup predates.
import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Refusal } from './backup-format.mjs';
import { connect, foreignKeys, ident, listSequences, listTables, userTriggers, where } from './backup-catalog.mjs';
import { copyIn } from './pg-copy.mjs';

const count = async (client, table) => Number((await client.query(`SELECT count(*)::bigint AS n FROM ${ident(table)}`)).rows[0].n);

/**
 * Fresh means nothing but the migrations ever wrote to it. Each migration runs in one transaction with the
 * insert of its schema_migrations row, so a row whose xmin is not one of those transactions' was written by
 * someone else (an API that started once has at least audited its bank sync). Tables may exist, migrated no
 * further than the backup; the rows the migrations seeded (panel_settings' defaults) give way to the backup's.
 */
async function assertFresh(client, url, tableNames, backupMigrations) {
  let fromMigrations = `'{}'::xid[]`;
  if (tableNames.has('schema_migrations')) {
    const applied = (await client.query('SELECT "timestamp"::text AS timestamp, name FROM schema_migrations')).rows;
    const beyond = applied.filter((m) => !backupMigrations.has(m.timestamp));
    if (beyond.length) {
      throw new Refusal(
        `${where(url)} has migrations the backup predates (${beyond.map((m) => m.name).join(', ')}): restore into an empty database`,
      );
    }
    fromMigrations = 'ARRAY(SELECT xmin FROM schema_migrations)';
  }
  const used = [];
  for (const table of [...tableNames].sort()) {
    if (table === 'schema_migrations') continue;
    const sql = `SELECT EXISTS (SELECT 1 FROM ${ident(table)} WHERE NOT (xmin = ANY (${fromMigrations}))) AS used`;
    if ((await client.query(sql)).rows[0].used) used.push(table);
  }
  if (used.length) {
    throw new Refusal(
      `${where(url)} is in use (rows in ${used.slice(0, 4).join(', ')}${used.length > 4 ? ` and ${used.length - 4} more tables` : ''}): ` +
        'a restore goes into a fresh instance only (README, "Backups"); nothing was changed',
    );
  }
}

/** Applies exactly `classes` (TypeORM migrations) with the API's own runner: its advisory lock, one transaction each. */
async function migrate(requireApi, url, classes) {
  const { DataSource } = requireApi('typeorm');
  const { runMigrations } = requireApi('./infrastructure/database/migrate');
  const ds = await new DataSource({
    type: 'postgres',
    url,
    migrations: classes,
    migrationsTableName: 'schema_migrations',
    extra: { max: 2 },
  }).initialize();
  try {
    return await runMigrations(ds);
  } finally {
    await ds.destroy();
  }
}

async function writeAll(handle, chunk) {
  for (let written = 0; written < chunk.length;) written += (await handle.write(chunk, written)).bytesWritten;
}

/**
 * Loads the backup into the database at `url`; returns the files written and the newer migrations applied.
 * Refuses (Refusal) a database in use before `loadCode()` (the API's build and its migrations) is even needed;
 * anything failing before COMMIT rolls the data back and removes the staged files.
 */
export async function restoreDatabase({ url, file, plan, loadCode, readBackup, dataDir }) {
  const { header, trailer } = plan;
  // Migrations are matched by timestamp, as TypeORM records them.
  const level = new Set(header.migrations.map((m) => m.timestamp));
  const client = await connect(url);
  const staged = [];
  try {
    await assertFresh(client, url, new Set((await listTables(client)).map((t) => t.name)), level);
    const { requireApi, migrations: code } = loadCode();
    await migrate(
      requireApi,
      url,
      code.filter((m) => level.has(String(m.timestamp))).map((m) => m.cls),
    );
    const tables = new Map((await listTables(client)).map((t) => [t.name, t]));
    for (const t of header.tables) {
      const have = tables.get(t.name);
      if (!have || JSON.stringify(have.columns) !== JSON.stringify(t.columns)) {
        throw new Error(
          `table ${t.name} at migration ${header.migrations.at(-1)?.name} differs from the backup's: is this the code that made it?`,
        );
      }
    }

    await client.query('BEGIN');
    try {
      await assertFresh(client, url, new Set(tables.keys()), level);
      // The backup lists tables referenced-first; a key pointing forward (a cycle: items ↔ item_versions) is checked at the end.
      const position = new Map(header.tables.map((t, i) => [t.name, i]));
      const forward = (await foreignKeys(client)).filter(
        (k) => !k.deferrable && k.table !== k.references && position.get(k.references) > position.get(k.table),
      );
      for (const k of forward)
        await client.query(`ALTER TABLE ${ident(k.table)} ALTER CONSTRAINT ${ident(k.name)} DEFERRABLE INITIALLY DEFERRED`);
      await client.query('SET CONSTRAINTS ALL DEFERRED');
      // Rows the migrations seeded (panel_settings' defaults) give way to the backup's.
      const seeded = [];
      for (const t of header.tables) if ((await count(client, t.name)) > 0) seeded.push(t.name);
      // Restored rows are history, not new events: triggers that would act on them (on INSERT, or refuse the
      // seeded rows' DELETE) are off for this transaction only; a rollback or the re-enable below puts them back.
      const paused = (await userTriggers(client)).filter(
        (t) => position.has(t.table) && (t.onInsert || (t.onDelete && seeded.includes(t.table))),
      );
      for (const t of paused) await client.query(`ALTER TABLE ${ident(t.table)} DISABLE TRIGGER ${ident(t.name)}`);
      for (const name of [...seeded].reverse()) await client.query(`DELETE FROM ${ident(name)}`);

      const loaded = {};
      await readBackup(file, {
        header: (h) => {
          if (h.createdAt !== header.createdAt) throw new Error(`${file} changed while it was being restored`);
        },
        table: async (name, chunks) => {
          const columns = tables
            .get(name)
            .columns.map(([c]) => ident(c))
            .join(', ');
          loaded[name] = await copyIn(client, `COPY ${ident(name)} (${columns}) FROM STDIN`, chunks);
        },
        file: async (record, chunks) => {
          const target = path.join(dataDir, record.file);
          if (existsSync(target)) return; // the same bytes: checked before anything started
          mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
          const temp = `${target}.restore-${process.pid}.partial`;
          staged.push({ temp, target });
          const handle = await fs.open(temp, 'wx', 0o600);
          try {
            for await (const chunk of chunks) await writeAll(handle, chunk);
            await handle.chmod(record.mode ?? 0o600);
            await handle.sync();
          } finally {
            await handle.close();
          }
        },
      });

      const sequences = new Set((await listSequences(client)).map((s) => s.name));
      for (const s of trailer.sequences) {
        if (s.table === 'schema_migrations') continue; // the migrations just numbered their own rows
        if (!sequences.has(s.name)) throw new Error(`sequence ${s.name} of the backup does not exist here`);
        await client.query('SELECT setval($1::regclass, $2::bigint, $3)', [`public.${ident(s.name)}`, s.lastValue, s.isCalled]);
      }
      await client.query('SET CONSTRAINTS ALL IMMEDIATE');
      for (const k of forward) await client.query(`ALTER TABLE ${ident(k.table)} ALTER CONSTRAINT ${ident(k.name)} NOT DEFERRABLE`);
      for (const t of paused) await client.query(`ALTER TABLE ${ident(t.table)} ENABLE TRIGGER ${ident(t.name)}`);
      for (const t of header.tables) {
        const n = await count(client, t.name);
        if (n !== trailer.tables[t.name] || loaded[t.name] !== n) {
          throw new Error(`table ${t.name} has ${n} rows after loading, the backup ${trailer.tables[t.name]}`);
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }

    for (const s of staged) {
      await fs.rename(s.temp, s.target);
      const dir = await fs.open(path.dirname(s.target), 'r');
      await dir.sync().finally(() => dir.close());
    }
    const filesWritten = staged.length;
    staged.length = 0;
    const newer = code.filter((m) => !level.has(String(m.timestamp)));
    if (newer.length) {
      const { runMigrationsAsOwner } = requireApi('./infrastructure/database/migrate');
      await runMigrationsAsOwner(url).catch((error) => {
        throw new Error(
          `the data is restored, but a newer migration failed (run \`node api/dist/api/src/cli.js migrate\`): ${error.message}`,
        );
      });
    }
    return { filesWritten, newer };
  } finally {
    for (const s of staged) await fs.rm(s.temp, { force: true });
    await client.end().catch(() => undefined);
  }
}
