#!/usr/bin/env node
// `npm run metrics`: the codebase figures issue #12 tracks, each counted the same way every time.
//   raw SQL calls in services, lines over 140 characters, the largest files, and writes to tables
//   a module does not own (ownership read from README.md, "Module ownership").
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const files = (...globs) =>
  execFileSync('git', ['ls-files', ...globs], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
const read = (file) => readFileSync(path.join(ROOT, file), 'utf8');
const isTest = (file) => /\.(spec|integration-spec|e2e-spec|test)\.tsx?$/.test(file);

const services = files('api/src/**/*.service.ts');
const rawInServices = services.map((f) => [f, (read(f).match(/\.query\(/g) ?? []).length]).filter(([, n]) => n > 0);
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
const crossWrites = [];
for (const file of files('api/src/**/*.ts').filter((f) => !isTest(f))) {
  const module = moduleOf(file);
  if (!module) continue; // cli.ts and the entrypoints are the platform's own tools
  for (const [, table] of read(file).matchAll(/(?:INSERT INTO|UPDATE|DELETE FROM)\s+([a-z_]+)/g)) {
    const own = owner.get(table);
    if (own && own !== module) crossWrites.push(`${file}: ${module} writes ${table} (owned by ${own})`);
  }
}

const out = process.stdout;
out.write(`raw .query( calls in *.service.ts: ${rawInServices.reduce((n, [, c]) => n + c, 0)} in ${rawInServices.length} files\n`);
for (const [f, n] of rawInServices.sort((a, b) => b[1] - a[1]).slice(0, 8)) out.write(`  ${n}\t${f}\n`);
out.write(`lines over 140 characters (api/src, web/src, e2e, scripts): ${longLines}\n`);
out.write('largest files (lines, tests excluded):\n');
for (const [f, n] of largest) out.write(`  ${n}\t${f}\n`);
out.write(`writes to another module's tables: ${crossWrites.length}\n`);
for (const line of crossWrites) out.write(`  ${line}\n`);
