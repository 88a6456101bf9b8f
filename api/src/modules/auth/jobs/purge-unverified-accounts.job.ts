import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import { AuditService } from '../../audit/audit.service';
import { UsersRepository } from '../../users/users.repository';

const BATCH = 200;

/**
 * Hourly: deletes accounts whose address stayed unconfirmed past the limit (7 days), so nobody can
 * hold someone else's address. Such accounts cannot have attempts, submissions or certificates (each
 * needs a confirmed address); their sessions, tokens and declared attributes go with them (ON DELETE
 * CASCADE). An account that other rows still point at is kept (the database refuses the delete) and
 * logged, never half-deleted. Each deletion is audited by user id only: the address is not kept.
 */
@Injectable()
@JobHandler(JobName.PurgeUnverifiedAccounts)
export class PurgeUnverifiedAccountsJob implements JobHandlerInstance<JobName.PurgeUnverifiedAccounts> {
  private readonly logger = new Logger(PurgeUnverifiedAccountsJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(): Promise<void> {
    const days = this.config.accounts.unverifiedAccountDays;
    for (const userId of await this.users.staleUnverified(days, BATCH)) {
      await this.dataSource
        .transaction(async (tx) => {
          if (!(await this.users.deleteStaleUnverified(tx, userId, days))) return; // confirmed or gone meanwhile
          await this.audit.append(tx, {
            actorId: null,
            action: 'user.purged_unverified',
            subjectType: 'user',
            subjectId: userId,
            data: { unverifiedForMoreThanDays: days },
          });
        })
        .catch((error: { code?: string; message?: string }) => {
          if (error.code !== '23503') throw error;
          this.logger.warn(`kept unverified account ${userId}: other records refer to it (${error.message})`);
        });
    }
  }
}
