import { Inject, Injectable, Logger } from '@nestjs/common';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { SignInErasure } from '../auth/sign-in-erasure.repository';
import { StoredMail } from '../notifications/stored-mail.repository';
import { PortfolioPersonalData } from '../portfolios/portfolio-personal-data.repository';
import { DataRightsRepository } from './data-rights.repository';

const BATCH = 500;
// One run does a bounded amount of work; the next hourly run carries on.
const MAX_BATCHES = 20;

export interface RetentionReport {
  removedAttachmentFiles: number;
  storedMail: number;
  expiredExports: number;
  endedSessions: number;
}

/**
 * Deletes what the retention settings no longer allow (README, "Personal data"): files of removed
 * attachments after RETENTION_REMOVED_ATTACHMENT_DAYS, stored mail after RETENTION_MAIL_DAYS, export
 * archives once their link expires, sessions (client address, user agent) RETENTION_ENDED_SESSION_DAYS
 * after they ended. Unconfirmed accounts have their own hourly job (RETENTION_UNVERIFIED_ACCOUNT_DAYS,
 * PurgeUnverifiedAccountsJob).
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly storage: FileStorage,
    private readonly attachments: PortfolioPersonalData,
    private readonly mail: StoredMail,
    private readonly exports: DataRightsRepository,
    private readonly signIn: SignInErasure,
    private readonly rateLimiter: RateLimiter,
  ) {}

  async apply(): Promise<RetentionReport> {
    const report: RetentionReport = { removedAttachmentFiles: 0, storedMail: 0, expiredExports: 0, endedSessions: 0 };
    for (let i = 0; i < MAX_BATCHES; i++) {
      const due = await this.attachments.removedAttachmentsDue(this.config.retention.removedAttachmentDays, BATCH);
      for (const a of due) {
        await this.storage.remove(a.storageKey);
        await this.attachments.markFileErased(a.id);
      }
      report.removedAttachmentFiles += due.length;
      if (due.length < BATCH) break;
    }
    for (let i = 0; i < MAX_BATCHES; i++) {
      const erased = await this.mail.eraseOlderThan(this.config.retention.mailDays, BATCH);
      report.storedMail += erased;
      if (erased < BATCH) break;
    }
    for (let i = 0; i < MAX_BATCHES; i++) {
      const due = await this.exports.exportsToExpire(BATCH);
      for (const e of due) {
        if (e.storageKey) await this.storage.remove(e.storageKey);
        await this.exports.markExpired(e.id);
      }
      report.expiredExports += due.length;
      if (due.length < BATCH) break;
    }
    for (let i = 0; i < MAX_BATCHES; i++) {
      const purged = await this.signIn.purgeEndedSessions(this.config.retention.endedSessionDays, BATCH);
      report.endedSessions += purged;
      if (purged < BATCH) break;
    }
    // Rate-limit counters whose window has ended count nothing any more (issue #14: the table must not grow forever).
    await this.rateLimiter.deleteExpired();
    if (Object.values(report).some((n) => n > 0)) {
      this.logger.log(
        `retention: ${report.removedAttachmentFiles} removed attachment files, ${report.storedMail} stored messages, ` +
          `${report.expiredExports} expired exports, ${report.endedSessions} ended sessions deleted`,
      );
    }
    return report;
  }
}
