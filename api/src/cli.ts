import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { WorkerModule } from './app.module';
import { buildOpenApiDocument, createHttpApp } from './http-app';
import { ConfigError } from './infrastructure/config/app-config';
import { dataSourceOptions } from './infrastructure/database/data-source-options';
import { runMigrations } from './infrastructure/database/migrate';
import { Role, ROLES } from './modules/users/entities/user.entity';
import { UsersService } from './modules/users/users.service';

const USAGE = `usage: cli <command>
  migrate                                   apply pending migrations
  user:create --email E --password P --name "N" --role admin|reviewer|candidate
  seed:demo                                 create the demo accounts (idempotent) and print them
  openapi --out FILE                        write the OpenAPI document`;

export const DEMO_ACCOUNTS: Array<{ email: string; password: string; fullName: string; roles: Role[] }> = [
  { email: 'admin@demo.psf.local', password: 'demo-admin-password', fullName: 'Demo Administrator', roles: ['admin'] },
  { email: 'reviewer1@demo.psf.local', password: 'demo-reviewer-one', fullName: 'Demo Reviewer One', roles: ['reviewer'] },
  { email: 'reviewer2@demo.psf.local', password: 'demo-reviewer-two', fullName: 'Demo Reviewer Two', roles: ['reviewer'] },
  { email: 'candidate@demo.psf.local', password: 'demo-candidate-password', fullName: 'Demo Candidate', roles: ['candidate'] },
];

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

async function withContext<T>(fn: (users: UsersService) => Promise<T>): Promise<T> {
  process.env.LOG_LEVEL ??= 'warn';
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error'] });
  try {
    return await fn(app.get(UsersService));
  } finally {
    await app.close();
  }
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
      const user = await withContext((users) =>
        users.create({ email: values.email!, password: values.password!, fullName: values.name!, roles: [role] }, null, 'cli'),
      ).catch((error) => fail(error?.status === 409 ? `an account with ${values.email} already exists` : String(error)));
      process.stdout.write(`created ${user.roles.join(',')} ${user.email} (${user.id})\n`);
      return;
    }
    case 'seed:demo': {
      await withContext(async (users) => {
        for (const account of DEMO_ACCOUNTS) {
          await users.create(account, null, 'seed').catch((error) => {
            if (error?.status !== 409) throw error; // already seeded on an earlier start
          });
        }
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
    default:
      fail(USAGE);
  }
}

main(process.argv.slice(2)).catch((error) => {
  fail(error instanceof ConfigError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`);
});
