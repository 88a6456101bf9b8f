import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type INestApplicationContext } from '@nestjs/common';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { WorkerModule } from './app.module';
import { buildOpenApiDocument, createHttpApp } from './http-app';
import { ConfigError } from './infrastructure/config/app-config';
import { SigningKeys } from './infrastructure/signing/signing-keys';
import { dataSourceOptions } from './infrastructure/database/data-source-options';
import { runMigrations } from './infrastructure/database/migrate';
import { type LoadedBank, loadBank } from './modules/question-bank/bank-files';
import { BankInvalidError, BankSyncService } from './modules/question-bank/bank-sync.service';
import { checkBank } from './modules/question-bank/bank-validator';
import { contentHash, contentOf } from './modules/question-bank/item-content';
import { ItemReviewService } from './modules/question-bank/item-review.service';
import {
  checkReviewEvidence,
  evidenceSummary,
  renderReviewsFile,
  REVIEWS_FILE,
  setItemStatusInFile,
} from './modules/question-bank/reviews-file';
import { ExamAnalysisService } from './modules/exams/analysis/exam-analysis.service';
import { CredentialKeyRetirementService } from './modules/certificates/credential-key-retirement.service';
import {
  DEFAULT_SIMULATION,
  ExamSimulator,
  HttpTransport,
  recoveryReport,
  type SimulationOptions,
} from './modules/exams/analysis/exam-simulator';
import { ProgrammeCatalogue } from './modules/programme/programme-catalogue';
import { formatCueAudit } from './modules/question-bank/cue-audit';
import { loadFramework } from './modules/programme/framework';
import { importQuestions, renderImportFile } from './modules/question-bank/importers/import-questions';
import { type Role, ROLES } from './modules/users/entities/user.entity';
import { isUsableTotpSecret } from './common/auth/totp';
import { UsersService } from './modules/users/users.service';
import { bulkAccountsProblem, createBulkAccounts } from './modules/users/bulk-accounts';
import { AuditCheckpoints } from './modules/audit/audit-checkpoints.service';
import { AuditService } from './modules/audit/audit.service';
import { personNameProblem } from './common/validation/person-name';

const USAGE = `usage: cli <command>
  migrate                                   apply pending migrations
  user:create --email E --password P --name "N" --role admin|reviewer|candidate [--totp-secret BASE32]
                                            create a verified account; with --totp-secret, TOTP sign-in is on with that secret
  users:bulk-create --count N --email-pattern 'bench-{n}@bench.test' --password P [--name-pattern "Bench Candidate {n}"]
                    [--first 1] [--allow-production]
                                            create N verified candidate accounts ({n} = first … first+N-1) sharing one
                                            password (hashed once), in batches, audited and welcomed like user:create;
                                            test accounts for benchmarks: refused with NODE_ENV=production without the flag
  seed:demo                                 create the demo accounts (idempotent) and print them
  openapi --out FILE                        write the OpenAPI document
  bank:check [--dir question-bank]          validate the question bank files
  bank:sync [--dir question-bank]           sync the bank files into the database
  bank:export-reviews [--dir question-bank] write the platform's item reviews, comments and stage decisions to reviews.yaml
                                            and the items' status lines
  bank:adopt --by NAME --decision TEXT [--items ID,ID] [--dir question-bank]
                                            record in reviews.yaml that a body takes items into service without the platform's
                                            review (default: every pretest/active item without evidence)
  keys:rotate                               add a new certificate-signing key (old keys stay published)
  keys:retire --kid KID                     withdraw a (compromised) signing key from the JWK Set; a new key signs if it was
                                            the current one, and the live credentials it signed are signed again
  audit:verify                              verify the audit log's chain and its checkpoints; exit 1 naming the first bad row
  audit:checkpoint                          write a checkpoint of the audit log's head now (AUDIT_CHECKPOINT_FILE)
  exam:simulate --base-url URL [--candidates N] [--seed S] [--test-wise 0.1] [--model 2pl|rasch] [--dif-items K] [--concurrency C] [--json FILE]
                                            simulated candidates sit AIDA through the API at URL, which runs on this
                                            database (use a throwaway one: npm run exam:simulate sets both up)
  bank:import --format moodle-xml|gift FILE [--out FILE]
                                            convert questions into a draft bank file`;

export const DEMO_ACCOUNTS: Array<{ email: string; password: string; fullName: string; roles: Role[] }> = [
  { email: 'admin@demo.psf.local', password: 'demo-admin-password', fullName: 'Demo Administrator', roles: ['admin'] },
  { email: 'reviewer1@demo.psf.local', password: 'demo-reviewer-one', fullName: 'Demo Reviewer One', roles: ['reviewer'] },
  { email: 'reviewer2@demo.psf.local', password: 'demo-reviewer-two', fullName: 'Demo Reviewer Two', roles: ['reviewer'] },
  { email: 'reviewer3@demo.psf.local', password: 'demo-reviewer-three', fullName: 'Demo Reviewer Three', roles: ['reviewer'] },
  { email: 'assessor1@demo.psf.local', password: 'demo-assessor-one', fullName: 'Demo Assessor One', roles: ['reviewer'] },
  { email: 'assessor2@demo.psf.local', password: 'demo-assessor-two', fullName: 'Demo Assessor Two', roles: ['reviewer'] },
  { email: 'assessor3@demo.psf.local', password: 'demo-assessor-three', fullName: 'Demo Assessor Three', roles: ['reviewer'] },
  { email: 'candidate@demo.psf.local', password: 'demo-candidate-password', fullName: 'Demo Candidate', roles: ['candidate'] },
];

/**
 * Every demo reviewer and assessor sits on CPAA panels, weekdays 09:00–17:00 London time (weekly hours, so
 * the slots roll forward with today). A portfolio has two reviewers, who may not sit on its candidate's
 * panel: with six assessors, three of them chairs, a full panel with a chair is left whichever two reviewed.
 */
const DEMO_CHAIRS = ['reviewer1@demo.psf.local', 'assessor1@demo.psf.local', 'assessor2@demo.psf.local'];

async function seedDemoAssessors(dataSource: DataSource): Promise<void> {
  const weekdays = JSON.stringify([1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '09:00', end: '17:00' })));
  const staff = DEMO_ACCOUNTS.filter((a) => a.roles.includes('reviewer')).map((a) => a.email);
  await dataSource.query(
    `INSERT INTO assessor_profiles (user_id, time_zone, is_chair, weekly_cap, weekly_windows)
     SELECT id, 'Europe/London', email = ANY($2::text[]), 5, $1::jsonb FROM users WHERE email = ANY($3::text[])
     ON CONFLICT (user_id) DO NOTHING`,
    [weekdays, DEMO_CHAIRS, staff],
  );
}

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
  const evidence = evidenceSummary(bank.items, bank.reviews);
  lines.push(
    `  review evidence (${REVIEWS_FILE}): ${evidence.reviewed} pretest/active items reviewed by two experts in the platform, ${evidence.adopted} adopted without it`,
  );
  return `${lines.join('\n')}\n`;
}

/** Runs the simulation against the API at `baseUrl` (on this database) and prints what the analysis recovers. */
async function simulateExam(options: SimulationOptions, baseUrl: string) {
  return withApp(async (app) => {
    const password = `simulated-${Date.now()}`;
    const t0 = Date.now();
    const users = await app.get(UsersService).createMany(
      Array.from({ length: options.candidates }, (_, i) => ({
        email: `sim-${options.seed}-${i + 1}@simulation.invalid`,
        fullName: `Simulated Candidate ${i + 1}`,
      })),
      password,
      null,
    );
    process.stdout.write(
      `exam:simulate: ${users.length} candidate accounts in ${((Date.now() - t0) / 1000).toFixed(1)} s; sitting through ${baseUrl}\n`,
    );
    const http = new HttpTransport(baseUrl);
    const simulator = new ExamSimulator(http, app.get(DataSource), app.get(ProgrammeCatalogue).framework, options);
    const result = await simulator.run(users.map((u) => ({ email: u.email, password })));
    const analysis = await app.get(ExamAnalysisService).analyse('all');
    const recovery = recoveryReport(result, analysis, options.abilityMean);
    const flagged = analysis.items.filter((i) => i.flags.length && !i.flags.includes('insufficient_data'));
    const percentile = (ms: number[], q: number) => [...ms].sort((a, b) => a - b)[Math.min(ms.length - 1, Math.floor(ms.length * q))];
    const out = [
      `exam:simulate: ${result.sittings.length} sittings (${options.model}, ${Math.round(options.testWiseShare * 100)}% test-wise), ${http.requests} API requests in ${result.seconds.toFixed(1)} s (${(http.requests / result.seconds).toFixed(0)} req/s), ${result.errors} errors`,
      `  latency p50/p95 ms: ${[...http.timings].map(([route, ms]) => `${route} ${percentile(ms, 0.5).toFixed(0)}/${percentile(ms, 0.95).toFixed(0)}`).join('; ')}`,
      `  scores: mean ${analysis.scores.mean?.toFixed(2)} of ${analysis.scores.maxScore}, SD ${analysis.scores.sd?.toFixed(2)}, pass rate ${((analysis.scores.passRate ?? 0) * 100).toFixed(1)}% at ${analysis.scores.passMarkPercent}% (raw ${analysis.scores.cutScore})`,
      `  reliability: KR-20 ${recovery.kr20Observed?.toFixed(3)} (model value for the forms sat: ${recovery.kr20Population.toFixed(3)}), SEM ${analysis.reliability.sem?.toFixed(2)}, decision agreement ${analysis.reliability.decisionAgreement?.toFixed(3)}, kappa ${analysis.reliability.decisionKappa?.toFixed(3)}`,
      `  difficulty recovery: Spearman(facility, −b) ${recovery.difficultyRankCorrelation?.toFixed(3)} over ${recovery.itemsCompared} items with ≥ 30 responses`,
      `  test-wise candidates: ${recovery.testWise.candidates}, mean score ${recovery.testWise.meanScore?.toFixed(2) ?? '—'} vs ${recovery.testWise.naiveMeanScore?.toFixed(2) ?? '—'} for the others`,
      `  items flagged: ${flagged.length} (${[...new Set(flagged.flatMap((i) => i.flags))].map((f) => `${f} ${flagged.filter((i) => i.flags.includes(f)).length}`).join(', ')})`,
    ];
    let dif: unknown = null;
    if (options.difItems > 0) {
      const d = await app.get(ExamAnalysisService).dif('all', 'firstLanguage', 'english', 'other', 100);
      const planted = new Set([...result.items.entries()].filter(([, p]) => p.dif).map(([v]) => v));
      const flaggedC = d.items.filter((i) => i.category === 'C');
      out.push(
        `  DIF (first language, MH): ${d.analysedItems} items compared; category C: ${flaggedC.length} (${flaggedC.filter((i) => planted.has(i.versionId)).length} of ${planted.size} planted), B: ${d.items.filter((i) => i.category === 'B').length}`,
      );
      dif = d;
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return {
      options,
      recovery,
      scores: analysis.scores,
      reliability: analysis.reliability,
      requests: http.requests,
      errors: result.errors,
      seconds: result.seconds,
      dif,
    };
  });
}

function withUsers<T>(fn: (users: UsersService) => Promise<T>): Promise<T> {
  return withApp((app) => fn(app.get(UsersService)));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'migrate': {
      // Schema changes run as the owner role when one is given; DATABASE_URL is then the application role.
      const ownerUrl = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
      if (!ownerUrl) fail('DATABASE_URL (or DATABASE_OWNER_URL) is required but not set');
      const ds = await new DataSource(dataSourceOptions(ownerUrl)).initialize();
      const applied = await runMigrations(ds);
      await ds.destroy();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return;
    }
    case 'user:create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          email: { type: 'string' },
          password: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          'totp-secret': { type: 'string' },
        },
      });
      const totpSecret = values['totp-secret'];
      const role = (values.role ?? 'candidate') as Role;
      if (!values.email || !values.password || !values.name) fail(`--email, --password and --name are required\n${USAGE}`);
      if (!ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}`);
      if (values.password.length < 12) fail('--password must be at least 12 characters long');
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fail('--email must be a valid email address');
      const nameProblem = personNameProblem(values.name, '--name');
      if (nameProblem) fail(nameProblem);
      if (totpSecret !== undefined && !isUsableTotpSecret(totpSecret)) {
        fail('--totp-secret must be base32 (A-Z, 2-7) of at least 16 characters (80 bits), e.g. JBSWY3DPEHPK3PXP');
      }
      const user = await withUsers((users) =>
        users.create({ email: values.email!, password: values.password!, fullName: values.name!, roles: [role], totpSecret }, null, 'cli'),
      ).catch((error) => fail(error?.status === 409 ? `an account with ${values.email} already exists` : String(error)));
      process.stdout.write(
        `created ${user.roles.join(',')} ${user.email} (${user.id})${user.totpEnabledAt ? ' with TOTP sign-in on' : ''}\n`,
      );
      return;
    }
    case 'users:bulk-create': {
      const { values } = parseArgs({
        args: rest,
        options: {
          count: { type: 'string' },
          first: { type: 'string', default: '1' },
          'email-pattern': { type: 'string' },
          'name-pattern': { type: 'string', default: 'Bench Candidate {n}' },
          password: { type: 'string' },
          'allow-production': { type: 'boolean', default: false },
        },
      });
      if (process.env.NODE_ENV === 'production' && !values['allow-production']) {
        fail('users:bulk-create makes test accounts sharing one password: refused with NODE_ENV=production (--allow-production overrides)');
      }
      if (!values.count || !values['email-pattern'] || !values.password) {
        fail(`--count, --email-pattern and --password are required\n${USAGE}`);
      }
      const request = {
        count: Number(values.count),
        first: Number(values.first),
        emailPattern: values['email-pattern'],
        namePattern: values['name-pattern']!,
        password: values.password,
      };
      const problem = bulkAccountsProblem(request);
      if (problem) fail(problem);
      const t0 = Date.now();
      const result = await withUsers((users) =>
        createBulkAccounts(users, request, (created) => {
          if (created % 5000 === 0 && created < request.count) process.stdout.write(`users:bulk-create: ${created} of ${request.count}…\n`);
        }),
      ).catch((error) => fail(`users:bulk-create: ${error?.status === 409 ? error.message : String(error)}`));
      process.stdout.write(
        `users:bulk-create: ${result.created} verified candidate accounts ${result.firstEmail} … ${result.lastEmail} ` +
          `in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
      );
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
        await seedDemoAssessors(app.get(DataSource));
      });
      process.stdout.write('Demo accounts (demo seeding is on; never use these in production):\n');
      for (const a of DEMO_ACCOUNTS) process.stdout.write(`  ${a.roles[0].padEnd(9)} ${a.email.padEnd(26)} ${a.password}\n`);
      process.stdout.write('  (admins and reviewers set up two-step sign-in with an authenticator app at their first sign-in)\n');
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
        // The whole programme as the platform loads it at boot: framework, credentials, blueprint, guide.
        const { interviewGuide: guide, credentials } = ProgrammeCatalogue.load(values.dir!);
        const prerequisites = Object.entries(credentials).map(
          ([code, c]) => `${code} ${c.validityDays} d${c.requires.length ? ` after ${c.requires.join('+')}` : ''}`,
        );
        process.stdout.write(`  credentials: ${prerequisites.join('; ')}\n`);
        process.stdout.write(
          `  interview guide: ${guide.domains.length} domains, ${guide.domains.reduce((n, d) => n + d.prompts.length, 0)} prompts, ${guide.domains.reduce((n, d) => n + d.minutes, 0)} of ${guide.durationMinutes} minutes\n`,
        );
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
      process.stdout.write(
        `bank:sync: ${report.added} added, ${report.changed} changed, ${report.retired} retired, ${report.unchanged} unchanged\n`,
      );
      return;
    }
    case 'exam:simulate': {
      const { values } = parseArgs({
        args: rest,
        options: {
          candidates: { type: 'string', default: String(DEFAULT_SIMULATION.candidates) },
          seed: { type: 'string', default: String(DEFAULT_SIMULATION.seed) },
          'test-wise': { type: 'string', default: String(DEFAULT_SIMULATION.testWiseShare) },
          model: { type: 'string', default: DEFAULT_SIMULATION.model },
          'dif-items': { type: 'string', default: String(DEFAULT_SIMULATION.difItems) },
          concurrency: { type: 'string', default: String(DEFAULT_SIMULATION.concurrency) },
          json: { type: 'string' },
          'base-url': { type: 'string' },
        },
      });
      const options = {
        ...DEFAULT_SIMULATION,
        candidates: Number(values.candidates),
        seed: Number(values.seed),
        testWiseShare: Number(values['test-wise']),
        model: values.model as 'rasch' | '2pl',
        difItems: Number(values['dif-items']),
        concurrency: Number(values.concurrency),
      };
      if (!Number.isInteger(options.candidates) || options.candidates < 2 || options.candidates > 100_000)
        fail('--candidates must be 2 … 100000');
      if (!(options.testWiseShare >= 0 && options.testWiseShare <= 1)) fail('--test-wise must be a share between 0 and 1');
      if (!['rasch', '2pl'].includes(options.model)) fail('--model must be rasch or 2pl');
      if (!process.env.DATABASE_URL) fail('DATABASE_URL is required (npm run exam:simulate makes a throwaway database)');
      if (!values['base-url']) fail('--base-url is required: the API the candidates sit through (npm run exam:simulate starts one)');
      const report = await simulateExam(options, values['base-url']);
      if (values.json) writeFileSync(values.json, `${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    case 'bank:export-reviews': {
      const { values } = parseArgs({ args: rest, options: { dir: { type: 'string', default: 'question-bank' } } });
      const dir = values.dir!;
      const bank = loadBank(dir);
      const { exported, statuses } = await withApp(async (app) => {
        const reviews = app.get(ItemReviewService);
        return { exported: await reviews.exportReviews(bank.reviews), statuses: await reviews.currentStatuses() };
      });
      writeFileSync(path.join(dir, REVIEWS_FILE), renderReviewsFile(exported));
      let updated = 0;
      for (const item of bank.items) {
        const decided = statuses.get(item.id);
        if (decided && decided !== item.status && item.status !== 'retired') {
          setItemStatusInFile(path.join(dir, item.source.file), item.id, decided);
          updated += 1;
        }
      }
      const versions = Object.values(exported.items).flat();
      process.stdout.write(
        `bank:export-reviews: ${versions.reduce((n, v) => n + v.reviews.length, 0)} reviews, ${versions.reduce((n, v) => n + v.comments.length, 0)} comments and ` +
          `${versions.reduce((n, v) => n + v.stages.length, 0)} stage changes of ${Object.keys(exported.items).length} items written to ${path.join(dir, REVIEWS_FILE)}; ` +
          `${updated} item status line(s) updated\n`,
      );
      return;
    }
    case 'bank:adopt': {
      const { values } = parseArgs({
        args: rest,
        options: {
          dir: { type: 'string', default: 'question-bank' },
          by: { type: 'string' },
          decision: { type: 'string' },
          items: { type: 'string' },
        },
      });
      if (!values.by || !values.decision || values.decision.trim().length < 20) {
        fail(
          '--by NAME and --decision TEXT (at least 20 characters: who decided, and why these items may be used without the platform review) are required',
        );
      }
      const dir = values.dir!;
      const bank = loadBank(dir);
      const reviews = bank.reviews ?? { adoptions: [], items: {} };
      const wanted = values.items ? new Set(values.items.split(',').map((s) => s.trim())) : null;
      const lacking = new Set(
        checkReviewEvidence(bank.items, reviews)
          .map((p) => /item (D0\d-\d{3})/.exec(p.message)?.[1])
          .filter(Boolean),
      );
      const chosen = bank.items.filter(
        (i) => (i.status === 'pretest' || i.status === 'active') && (wanted ? wanted.has(i.id) : lacking.has(i.id)),
      );
      if (wanted) for (const id of wanted) if (!chosen.some((i) => i.id === id)) fail(`--items: ${id} is not a pretest or active item`);
      if (!chosen.length) fail('bank:adopt: no item to adopt (every pretest and active item already has review evidence)');
      reviews.adoptions.push({
        decision: values.decision.trim(),
        adoptedBy: values.by.trim(),
        date: new Date().toISOString().slice(0, 10),
        items: Object.fromEntries(chosen.map((i) => [i.id, contentHash(contentOf(i))])),
      });
      writeFileSync(path.join(dir, REVIEWS_FILE), renderReviewsFile(reviews));
      process.stdout.write(`bank:adopt: ${chosen.length} item(s) adopted in ${path.join(dir, REVIEWS_FILE)}\n`);
      return;
    }
    case 'keys:rotate': {
      const { kid, published } = await withApp(async (app) => {
        const keys = app.get(SigningKeys);
        await keys.ensureKey();
        const kid = await keys.rotate();
        return { kid, published: (await keys.jwks()).keys.length };
      });
      process.stdout.write(`keys:rotate: new signing key ${kid}; ${published} key(s) published in the JWK Set\n`);
      return;
    }
    case 'keys:retire': {
      const { values } = parseArgs({ args: rest, options: { kid: { type: 'string' } } });
      if (!values.kid) fail(`--kid KID is required (the kids are in /.well-known/jwks.json)\n${USAGE}`);
      const retired = await withApp((app) => app.get(CredentialKeyRetirementService).retire(values.kid!)).catch((error) =>
        fail(`keys:retire: ${error instanceof Error ? error.message : String(error)}`),
      );
      process.stdout.write(
        `keys:retire: ${retired.kid} withdrawn from the JWK Set${retired.wasCurrent ? `; new current key ${retired.currentKid}` : ''}; ` +
          `${retired.credentials} live credential(s) queued to be signed again with ${retired.currentKid} (the worker does it)\n`,
      );
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
      process.stdout.write(
        `bank:import: ${result.items.length} question(s) written to ${out} as drafts; ${result.skipped.length} skipped\n`,
      );
      for (const s of result.skipped) process.stdout.write(`  skipped ${s.title}: ${s.reason}\n`);
      return;
    }
    case 'audit:verify': {
      const report = await withApp((app) => app.get(AuditService).verifyChain());
      if (!report.valid) {
        fail(
          `audit:verify: FAILED at row ${report.firstBrokenId ?? '-'}: ${report.reason} (${report.checkedRows} rows verified before it; ${report.checkpoints} checkpoints)`,
        );
      }
      process.stdout.write(
        `audit:verify: OK, ${report.checkedRows} rows; ${report.checkpoints} checkpoints${report.lastCheckpointAt ? `, the newest of ${report.lastCheckpointAt}` : ''}\n`,
      );
      return;
    }
    case 'audit:checkpoint': {
      const { outcome, location } = await withApp(async (app) => {
        const checkpoints = app.get(AuditCheckpoints);
        return { outcome: await checkpoints.write({ force: true }), location: checkpoints.location };
      });
      if (outcome.written) {
        process.stdout.write(
          `audit:checkpoint: row ${outcome.checkpoint.headId} (${outcome.checkpoint.rowCount} rows) checkpointed in ${location}\n`,
        );
      } else if (outcome.why === 'broken') {
        fail(
          `audit:checkpoint: refused, the log does not verify at row ${outcome.problem.firstBrokenId ?? '-'}: ${outcome.problem.reason}`,
        );
      } else {
        process.stdout.write(
          `audit:checkpoint: nothing to write (${outcome.why === 'empty' ? 'the log is empty' : 'the head is already checkpointed'})\n`,
        );
      }
      return;
    }
    default:
      fail(USAGE);
  }
}

main(process.argv.slice(2)).catch((error) => {
  fail(error instanceof ConfigError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`);
});
