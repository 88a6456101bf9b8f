import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * The row types of typed queries come from the migrated database, not from hand-written interfaces:
 * this run's database has every migration applied (global setup), so kysely-codegen's --verify fails
 * here as soon as a migration changes a table without `npm run db:types` being run.
 */
describe('typed query schema (schema.generated.d.ts)', () => {
  it('matches the tables the migrations create; after a migration, regenerate it with `npm run db:types`', () => {
    const codegen = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/kysely-codegen/dist/cli/bin.js'),
        '--config-file',
        path.join(ROOT, 'api/.kysely-codegenrc.json'),
        '--url',
        // The owner sees the schema as the migrations made it (psf_app, DATABASE_URL, sees only what it is granted).
        process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!,
        '--verify',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    const output = `${codegen.stdout}\n${codegen.stderr}`;
    expect(output).not.toContain('not up-to-date');
    expect(output).toContain('Generated types are up-to-date');
    expect(codegen.status).toBe(0);
  }, 90_000);
});
