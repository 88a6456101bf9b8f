import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { WorkerModule } from './app.module';
import { buildOpenApiDocument, createHttpApp } from './http-app';
import { AppConfig, ConfigError } from './infrastructure/config/app-config';
import { SigningKeys } from './infrastructure/signing/signing-keys';
import { dataSourceOptions } from './infrastructure/database/data-source-options';
import { runMigrations } from './infrastructure/database/migrate';
import { loadInterviewGuide } from './modules/panels/interview-guide';
import { LoadedBank, loadBank } from './modules/question-bank/bank-files';
import { BankInvalidError, BankSyncService } from './modules/question-bank/bank-sync.service';
import { checkBank } from './modules/question-bank/bank-validator';
import { formatCueAudit } from './modules/question-bank/cue-audit';
import { loadFramework } from './modules/question-bank/framework';
import { importQuestions, renderImportFile } from './modules/question-bank/importers/import-questions';
import { Role, ROLES } from './modules/users/entities/user.entity';
import { UsersService } from './modules/users/users.service';

const USAGE = `usage: cli <command>
  migrate                                   apply pending migrations
  user:create --email E --password P --name "N" --role admin|reviewer|candidate
  seed:demo                                 create the demo accounts (idempotent) and print them
  openapi --out FILE                        write the OpenAPI document
  bank:check [--dir question-bank]          validate the question bank files
  bank:sync [--dir question-bank]           sync the bank files into the database
  keys:rotate                               add a new certificate-signing key (old keys stay published)
  bank:import --format moodle-xml|gift FILE [--out FILE]
                                            convert questions into a draft bank file`;

export const DEMO_ACCOUNTS: Array<{ email: string; password: string; fullName: string; roles: Role[] }> = [
  { email: 'admin@demo.psf.local', password: 'demo-admin-password', fullName: 'Demo Administrator', roles: ['admin'] },
  { email: 'reviewer1@demo.psf.local', password: 'demo-reviewer-one', fullName: 'Demo Reviewer One', roles: ['reviewer'] },
  { email: 'reviewer2@demo.psf.local', password: 'demo-reviewer-two', fullName: 'Demo Reviewer Two', roles: ['reviewer'] },
  { email: 'reviewer3@demo.psf.local', password: 'demo-reviewer-three', fullName: 'Demo Reviewer Three', roles: ['reviewer'] },
  { email: 'candidate@demo.psf.local', password: 'demo-candidate-password', fullName: 'Demo Candidate', roles: ['candidate'] },
];

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function withApp<T>(fn: (app: INestApplicationContext) => Promise<T>): Promise<T> {
  process.env.LOG_LEVEL ??= 'warn';
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function bankSummary(bank: LoadedBank): string {
  const lines = ['bank:check: OK'];
  const domains = [...new Set(bank.items.map((i) => i.domain))].sort();
  for (const d of domains) {
    const inDomain = bank.items.filter((i) => i.domain === d);
    const active = inDomain.filter((i) => i.status === 'active');
    const criteria = [...new Set(active.map((i) => i.criterion))].sort();
    lines.push(
      `  ${d}: ${active.length} active (${['easy', 'medium', 'hard'].map((x) => `${active.filter((i) => i.difficulty === x).length} ${x}`).join(', ')}), ` +
        `${inDomain.filter((i) => i.status === 'pretest').length} pretest, ${inDomain.filter((i) => i.status === 'draft').length} draft, ` +
        `${inDomain.filter((i) => i.status === 'retired').length} retired; per criterion ${criteria.map((c) => `${c} ${active.filter((i) => i.criterion === c).length}`).join(' ')}; blueprint ${bank.blueprint?.domains[d] ?? '?'}`,
    );
  }
  lines.push(`  ${bank.items.length} items in all, ${bank.items.filter((i) => i.status === 'active').length} active`);
  return `${lines.join('\n')}\n`;
}

function withUsers<T>(fn: (users: UsersService) => Promise<T>): Promise<T> {
  return withApp((app) => fn(app.get(UsersService)));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      if (!process.env.DATABASE_URL) fail('DATABASE_URL is required but not set');
      const ds = await new DataSource(dataSourceOptions(process.env.DATABASE_URL)).initialize();
      const applied = await runMigrations(ds);
      await ds.destroy();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return;
    }
    case 'user:create': {
      const { values } = parseArgs({
        args: rest,
        options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
      });
      const role = (values.role ?? 'candidate') as Role;
      if (!values.email || !values.password || !values.name) fail(`--email, --password and --name are required\n${USAGE}`);
      if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      if (values.password.length < 12) fail('--password must be at least 12 characters long');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fail('--email must be a valid email address');
      const user = await withUsers((users) =>
        users.create({ email: values.email!, password: values.password!, fullName: values.name!, roles: [role] }, null, 'cli'),
      ).catch((error) => fail(error?.status === 409 ? `an account with ${values.email} already exists` : String(error)));
      process.stdout.write(`created ${user.roles.join(',')} ${user.email} (${user.id})\n`);
      return;
    }
    case 'seed:demo': {
      await withApp(async (app) => {
        const users = app.get(UsersService);
        for (const account of DEMO_ACCOUNTS) {
          await users.create(account, null, 'seed').catch((error) => {
            if (error?.status !== 409) throw error; // already seeded on an earlier start
          });
        }
        // The three demo reviewers also sit on CPAA panels (reviewer1 chairs), weekdays 09:00–17:00 London time.
        const weekdays = JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })));
        await app.get(DataSource).query(
          `INSERT INTO assessor_profiles (user_id, time_zone, is_chair, weekly_cap, weekly_windows)
           SELECT id, 'Europe/London', email = 'reviewer1@demo.psf.local', 5, $1::jsonb FROM users
           WHERE email IN ('reviewer1@demo.psf.local', 'reviewer2@demo.psf.local', 'reviewer3@demo.psf.local')
           ON CONFLICT (user_id) DO NOTHING`,
          [weekdays],
        );
      });
      process.stdout.write('Demo accounts (demo seeding is on; never use these in production):\n');
      for (const a of DEMO_ACCOUNTS) process.stdout.write(`  ${a.roles[0].padEnd(9)} ${a.email.padEnd(26)} ${a.password}\n`);
      return;
    }
    case 'openapi': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' } } });
      if (!values.out) fail('--out FILE is required');
      process.env.SERVE_SPA = 'false';
      process.env.LOG_LEVEL = 'silent';
      process.env.PSF_OPENAPI_ONLY = '1';
      // Run from web/ by its build: find the bank beside the compiled API, not in the working directory.
      process.env.BANK_DIR ??= path.resolve(__dirname, '../../../../question-bank');
      // Describing the API needs no real services; placeholders satisfy config validation.
      process.env.DATABASE_URL ??= 'postgres://unused@127.0.0.1:1/unused';
      process.env.JWT_SECRET ??= 'openapi-generation-placeholder-secret-0000';
      const app = await createHttpApp();
      await app.init();
      writeFileSync(values.out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
      await app.close();
      process.stdout.write(`wrote ${values.out}\n`);
      return;
    }
    case 'bank:check': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string', default: 'question-bank' } } });
      const bank = loadBank(values.dir!);
      const { problems, cueAudit } = checkBank(bank, loadFramework(values.dir!));
      // The figures are printed whether or not the bank passes: they are what an author works from.
      process.stdout.write(formatCueAudit(cueAudit));
      if (problems.length) {
        for (const p of problems) process.stderr.write(`${path.join(values.dir!, p.file)}:${p.line}: ${p.message}\n`);
        fail(`bank:check: ${problems.length} problem(s)`);
      }
      process.stdout.write(bankSummary(bank));
      try {
        const guide = loadInterviewGuide(values.dir!, loadFramework(values.dir!));
        process.stdout.write(`  interview guide: ${guide.domains.length} domains, ${guide.domains.reduce((n, d) => n + d.prompts.length, 0)} prompts, ${guide.domains.reduce((n, d) => n + d.minutes, 0)} of ${guide.durationMinutes} minutes\n`);
      } catch (error) {
        fail(`bank:check: ${(error as Error).message}`);
      }
      return;
    }
    case 'bank:sync': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string', default: 'question-bank' } } });
      process.env.BANK_DIR = values.dir;
      const report = await withApp(async (app) => app.get(BankSyncService).syncFromFiles(path.resolve(values.dir!))).catch((error) => {
        if (error instanceof BankInvalidError) {
          for (const p of error.problems) process.stderr.write(`${path.join(values.dir!, p.file)}:${p.line}: ${p.message}\n`);
        }
        fail(`bank:sync: ${error.message}`);
      });
      process.stdout.write(`bank:sync: ${report.added} added, ${report.changed} changed, ${report.retired} retired, ${report.unchanged} unchanged\n`);
      return;
    }
    case 'keys:rotate': {
      const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
      const keys = new SigningKeys({ signingKeysDir: path.resolve(process.env.SIGNING_KEYS_DIR ?? path.join(dataDir, 'keys')) } as AppConfig);
      await keys.ensureKey();
      const kid = await keys.rotate();
      process.stdout.write(`keys:rotate: new signing key ${kid}; ${(await keys.jwks()).keys.length} key(s) published in the JWK Set\n`);
      return;
    }
    case 'bank:import': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { format: { type: 'string' }, out: { type: 'string' } },
      });
      const [file] = positionals;
      if (!file || (values.format !== 'moodle-xml' && values.format !== 'gift')) {
        fail('usage: bank:import --format moodle-xml|gift FILE [--out question-bank/imports/NAME.yaml]');
      }
      if (!existsSync(file)) fail(`bank:import: no such file: ${file}`);
      const result = importQuestions(values.format, readFileSync(file, 'utf8'));
      const out = values.out ?? path.join('question-bank', 'imports', `${path.basename(file).replace(/\.[^.]+$/, '')}.yaml`);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, renderImportFile(result, path.basename(file)));
      process.stdout.write(`bank:import: ${result.items.length} question(s) written to ${out} as drafts; ${result.skipped.length} skipped\n`);
      for (const s of result.skipped) process.stdout.write(`  skipped ${s.title}: ${s.reason}\n`);
      return;
    }
    default:
      fail(USAGE);
  }
}

main(process.argv.slice(2)).catch((error) => {
  fail(error instanceof ConfigError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`);
});
