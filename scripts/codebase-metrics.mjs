#!/usr/bin/env node
// `npm run metrics`: the codebase figures issue #12 tracks, each counted the same way every time.
//   SQL in services (raw calls and typed builders), queries still written as raw SQL, lines over 140
//   characters, the largest files, and writes to and reads of tables a module does not own
//   (ownership read from README.md, "Module ownership"); raw SQL and Kysely builders both count.
// `npm run metrics -- --check` (run by `npm test`) fails when a service holds SQL or a module writes
//   or reads another module's tables other than through that module's reader.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = (...globs) =>
  // Tracked and new files alike, as they are in the working tree (so the figures can be read before a commit).
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', ...globs], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f && existsSync(path.join(ROOT, f)));
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const isTest = (file) => /\.(spec|integration-spec|e2e-spec|test)\.tsx?$/.test(file);

const services = files('api/src/**/*.service.ts');
const rawInServices = services.map((f) => [f, (read(f).match(/\.query\(/g) ?? []).length]).filter(([, n]) => n > 0);
// A typed query in a service is still SQL in a service: builders and sql`` templates count too.
const TYPED_SQL = /\.(?:selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`|\bsql<[^>]*>`/g;
const typedInServices = services.map((f) => [f, (read(f).match(TYPED_SQL) ?? []).length]).filter(([, n]) => n > 0);
const appSources = files('api/src/**/*.ts').filter((f) => !isTest(f));
const rawQueries = appSources.reduce((n, f) => n + (read(f).match(/\.query\(/g) ?? []).length, 0);
const typedQueries = appSources.reduce(
  (n, f) => n + (read(f).match(/\.(?:selectFrom|insertInto|updateTable|deleteFrom)\(|\.execute\(this\.db|\)\.execute\(db/g) ?? []).length,
  0,
);
const sourceFiles = files('api/src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx', 'e2e/**/*.ts', 'scripts/**/*.mjs');
const longLines = sourceFiles.reduce(
  (n, f) =>
    n +
    read(f)
      .split('\n')
      .filter((l) => l.length > 140).length,
  0,
);
const appFiles = files('api/src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.tsx').filter((f) => !isTest(f) && !f.endsWith('.d.ts'));
const largest = appFiles
  .map((f) => [f, read(f).split('\n').length])
  .sort((a, b) => b[1] - a[1])
  .slice(0, 6);

// Ownership: the README table's rows "| module | table, table |".
const readme = read('README.md');
const section = readme.slice(readme.indexOf('## Module ownership'));
const owner = new Map();
for (const [, module, tables] of section.matchAll(/^\| ([a-z-]+) \| ([a-z_, ]+) \|$/gm)) {
  for (const table of tables.split(',').map((t) => t.trim())) owner.set(table, module);
}
const moduleOf = (file) =>
  file.startsWith('api/src/common/') ? 'common' : (file.match(/^api\/src\/(?:modules|infrastructure)\/([^/]+)\//)?.[1] ?? null);
const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const crossWrites = [];
const crossReads = new Set();
for (const file of appSources) {
  const module = moduleOf(file);
  if (!module) continue; // cli.ts and the entrypoints are the platform's own tools
  const text = read(file);
  const writes = [
    ...[...text.matchAll(/(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)/g)].map((m) => m[1]),
    ...[...text.matchAll(/\.(?:insertInto|updateTable|deleteFrom)\('([A-Za-z]+)/g)].map((m) => snake(m[1])),
  ];
  for (const table of writes) {
    const own = owner.get(table);
    if (own && own !== module) crossWrites.push(`${file}: ${module} writes ${table} (owned by ${own})`);
  }
  const reads = [
    ...[...text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)/g)].map((m) => m[1]),
    ...[...text.matchAll(/\.(?:selectFrom|innerJoin|leftJoin)\('([A-Za-z]+)/g)].map((m) => snake(m[1])),
  ];
  for (const table of reads) {
    const own = owner.get(table);
    if (own && own !== module) crossReads.add(`${module} reads ${table} (owned by ${own})`);
  }
}

const out = process.stdout;
out.write(`raw .query( calls in *.service.ts: ${rawInServices.reduce((n, [, c]) => n + c, 0)} in ${rawInServices.length} files\n`);
for (const [f, n] of rawInServices.sort((a, b) => b[1] - a[1]).slice(0, 8)) out.write(`  ${n}\t${f}\n`);
out.write(`typed SQL (Kysely builders, sql templates) in *.service.ts: ${typedInServices.reduce((n, [, c]) => n + c, 0)}\n`);
for (const [f, n] of typedInServices) out.write(`  ${n}\t${f}\n`);
out.write(`queries in api/src (tests excluded): ${rawQueries} raw .query( calls, ${typedQueries} typed (Kysely)\n`);
out.write(`lines over 140 characters (api/src, web/src, e2e, scripts): ${longLines}\n`);
out.write('largest files (lines, tests excluded):\n');
for (const [f, n] of largest) out.write(`  ${n}\t${f}\n`);
out.write(`writes to another module's tables: ${crossWrites.length}\n`);
for (const line of crossWrites) out.write(`  ${line}\n`);
out.write(`module → table reads across module lines (distinct pairs): ${crossReads.size}\n`);
for (const line of [...crossReads].sort()) out.write(`  ${line}\n`);

if (process.argv.includes('--check')) {
  const broken = [
    [rawInServices.length + typedInServices.length, "services holding SQL (move it into the module's repository)"],
    [crossWrites.length, "writes to another module's tables (cause the effect through the outbox)"],
    [crossReads.size, "reads of another module's tables (use the owner's exported reader, <module>.reader.ts)"],
  ].filter(([n]) => n > 0);
  for (const [n, what] of broken) out.write(`✗ ${n} ${what}\n`);
  if (broken.length) process.exit(1);
  out.write('✓ no SQL in services; every module writes only its own tables and reads others through their readers\n');
}
