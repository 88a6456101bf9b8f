#!/usr/bin/env node
// npm run bench:draw -- [--items 100000] [--draws 1000]
// Times the AIDA form draw (ExamsService.drawForm: least-exposed selection, exposure update,
// option shuffle) on a generated bank in a throwaway database on TEST_PG_URL.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { arg, Latencies } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(ROOT, 'api/package.json'));
const items = Number(arg('items', 100_000));
const draws = Number(arg('draws', 1000));
const adminUrl = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `psf_bench_${Date.now()}_${randomBytes(2).toString('hex')}`;
const dbUrl = new URL(adminUrl);
dbUrl.pathname = `/${dbName}`;

const { Client } = require('pg');
const admin = new Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);

const env = {
  ...process.env,
  DATABASE_URL: dbUrl.toString(),
  JWT_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'silent',
  BANK_DIR: path.join(ROOT, 'question-bank'),
  REDIS_PREFIX: `psfbench${randomBytes(3).toString('hex')}`,
};
try {
  const migrate = spawnSync(process.execPath, [path.join(ROOT, 'api/dist/api/src/cli.js'), 'migrate'], { env, encoding: 'utf8' });
  if (migrate.status !== 0) throw new Error(`migrate failed (run npm run build first): ${migrate.stderr}`);

  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  const t0 = performance.now();
  await db.query(
    `INSERT INTO items (id, domain, criterion, status, exposure_count)
     SELECT 'G' || lpad(g::text, 7, '0'), 'D0' || ((g % 8) + 1), 'D0' || ((g % 8) + 1) || '.' || ((g / 8) % 5 + 1), 'active', floor(random() * 40)::int
     FROM generate_series(1, $1) g`,
    [items],
  );
  await db.query(
    `INSERT INTO item_versions (item_id, version, content_hash, content)
     SELECT id, 1, md5(id) || md5(id || 'x'), jsonb_build_object(
       'criterion', criterion, 'difficulty', 'medium', 'notes', '', 'stem', 'Generated scenario for ' || id,
       'options', jsonb_build_array(
         jsonb_build_object('id', 'a', 'text', 'Option A', 'key', true, 'rationale', 'r'),
         jsonb_build_object('id', 'b', 'text', 'Option B', 'key', false, 'rationale', 'r'),
         jsonb_build_object('id', 'c', 'text', 'Option C', 'key', false, 'rationale', 'r'),
         jsonb_build_object('id', 'd', 'text', 'Option D', 'key', false, 'rationale', 'r')))
     FROM items`,
  );
  await db.query(`UPDATE items i SET current_version_id = v.id FROM item_versions v WHERE v.item_id = i.id`);
  await db.query(`VACUUM ANALYZE items`);
  const [{ id: userId }] = (
    await db.query(`INSERT INTO users (email, full_name, password_hash) VALUES ('bench@example.org', 'Bench', 'x') RETURNING id`)
  ).rows;
  await db.end();
  console.log(`bench:draw — generated ${items} active items in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  Object.assign(process.env, env);
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { WorkerModule } = require(path.join(ROOT, 'api/dist/api/src/app.module.js'));
  const { ExamsService } = require(path.join(ROOT, 'api/dist/api/src/modules/exams/exams.service.js'));
  const { DataSource } = require('typeorm');
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  const exams = app.get(ExamsService);
  const dataSource = app.get(DataSource);

  const draw = async () => {
    const form = await dataSource.transaction((tx) => exams.drawForm(tx, userId));
    await exams.recordExposure(form.map((q) => q.itemId));
    return form;
  };
  for (let i = 0; i < 20; i++) await draw(); // warm-up
  const latencies = new Latencies();
  const started = performance.now();
  for (let i = 0; i < draws; i++) {
    const t = performance.now();
    const form = await draw();
    latencies.add('draw + exposure update', performance.now() - t);
    if (form.length !== 20) throw new Error(`draw returned ${form.length} questions`);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.print(`${draws} draws on a bank of ${items} active items`);
  console.log(`\nthroughput: ${(draws / seconds).toFixed(0)} draws/s (sequential, one connection)`);
  await app.close();
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
