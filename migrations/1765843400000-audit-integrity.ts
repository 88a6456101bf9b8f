import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Assessment integrity (issue #14): an audit log the application cannot rewrite.
 *
 * - psf_app: the role the API, the worker and the app CLI commands connect as (NOLOGIN here; the
 *   deployment gives it LOGIN and a password). It reads and writes the application's tables but only
 *   INSERTs and SELECTs audit_log: no UPDATE, DELETE or TRUNCATE, and since it does not own the table it
 *   cannot drop or disable the append-only triggers either. Migrations keep running as the owner (the
 *   role running this one), and ALTER DEFAULT PRIVILEGES covers the tables later migrations create.
 *   Roles belong to the cluster, and several databases may be migrated at once on one cluster: the
 *   role is created only when missing, and a concurrent creator winning the race is not an error.
 * - schema_migrations: psf_app may read it (TypeORM checks for pending migrations) but not change it.
 * - audit_log.hash_version: 1 = the plain SHA-256 chain of the rows written before this migration;
 *   2 = HMAC-SHA-256 under AUDIT_HMAC_KEY, a key the database never holds. No default: every
 *   insert states the version it was hashed with.
 */
export class AuditIntegrity1765843400000 implements MigrationInterface {
  name = 'AuditIntegrity1765843400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DO $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'psf_app') THEN
          BEGIN
            CREATE ROLE psf_app NOLOGIN;
          EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
          END;
        END IF;
      END
      $$`);
    await q.query(`DO $$ BEGIN EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO psf_app', current_database()); END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO psf_app`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO psf_app`);
    await q.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO psf_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO psf_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO psf_app`);

    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM psf_app, PUBLIC`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM psf_app, PUBLIC`);
    await q.query(`GRANT SELECT ON schema_migrations TO psf_app`);

    await q.query(`ALTER TABLE audit_log ADD COLUMN hash_version smallint NOT NULL DEFAULT 1 CHECK (hash_version IN (1, 2))`);
    await q.query(`ALTER TABLE audit_log ALTER COLUMN hash_version DROP DEFAULT`);
    // The admin view filters reads of sensitive data apart from decisions.
    await q.query(`CREATE INDEX audit_log_action_idx ON audit_log (action, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_action_idx`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN hash_version`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM psf_app`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM psf_app`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM psf_app`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM psf_app`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM psf_app`);
    await q.query(`DO $$ BEGIN EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM psf_app', current_database()); END $$`);
    // The role itself stays: it is the cluster's, and other databases on it may still grant to it.
  }
}
