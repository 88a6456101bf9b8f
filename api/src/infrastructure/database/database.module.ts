import { Global, Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { auditLogExposure, auditLogUnprotected } from './database-role';
import { dataSourceOptions } from './data-source-options';
import { usePreparedStatements } from './kysely';
import { runMigrations, runMigrationsAsOwner } from './migrate';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        usePreparedStatements(config.databasePreparedStatements);
        return {
          ...dataSourceOptions(config.databaseUrl, config.databasePoolSize),
          retryAttempts: 3,
          retryDelay: 1000,
          // `cli openapi` builds the HTTP app only to describe it: no database needed.
          manualInitialization: process.env.PSF_OPENAPI_ONLY === '1',
        };
      },
    }),
  ],
})
export class DatabaseModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Database');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.dataSource.isInitialized) return;
    if (this.config.runMigrations) {
      // Schema changes run as the owner on a short-lived connection; the pool stays the application role's.
      const applied = this.config.databaseOwnerUrl
        ? await runMigrationsAsOwner(this.config.databaseOwnerUrl)
        : await runMigrations(this.dataSource);
      if (applied.length) this.logger.log(`applied migrations: ${applied.join(', ')}`);
    }
    await this.checkAuditLogProtection();
  }

  /**
   * Issue #14: the application's own role must not be able to rewrite the audit log. A single-role
   * deployment is allowed for development with a warning; production refuses it unless told otherwise.
   */
  private async checkAuditLogProtection(): Promise<void> {
    const exposure = await auditLogExposure(this.dataSource);
    if (!auditLogUnprotected(exposure)) return;
    const why = exposure.superuser
      ? 'is a superuser'
      : exposure.ownsAuditLog
        ? 'owns audit_log'
        : 'may UPDATE, DELETE or TRUNCATE audit_log';
    const message =
      `the audit log is not protected: DATABASE_URL connects as "${exposure.role}", which ${why}. ` +
      'Connect the API and the worker as the application role psf_app and run migrations as the owner with DATABASE_OWNER_URL (README, "Configuration")';
    if (this.config.production && !this.config.databaseAllowOwnerRole) {
      throw new Error(`${message}; or set DATABASE_ALLOW_OWNER_ROLE=true to accept a single-role deployment`);
    }
    this.logger.warn(message);
  }
}
