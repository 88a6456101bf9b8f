import { ConflictException, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { STEP_UP_REQUIRED, stepUpUntil } from '../../common/auth/step-up';
import { RateLimiter } from '../../common/rate-limit/rate-limiter';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { AuditService } from '../audit/audit.service';
import { SessionsRepository } from '../auth/sessions.repository';
import { SignInErasure } from '../auth/sign-in-erasure.repository';
import { ExamPersonalData } from '../exams/exam-personal-data.repository';
import { ExamsService } from '../exams/exams.service';
import { StoredMail } from '../notifications/stored-mail.repository';
import { PanelPersonalData } from '../panels/panel-personal-data.repository';
import { PortfolioPersonalData } from '../portfolios/portfolio-personal-data.repository';
import { SelfAssessmentRepository } from '../self-assessment/self-assessment.repository';
import { HolderPagesRepository } from '../certificates/holder-pages.repository';
import { deletedAddress, UserPseudonymisation } from '../users/pseudonymisation.repository';
import { ARGON2_OPTIONS, UsersService } from '../users/users.service';
import { DataRightsRepository } from './data-rights.repository';
import type { AccountDeletedDto, DeleteAccountDto } from './dto/data-rights.dto';
import { assertReauthAllowed, recordReauthFailure } from '../auth/reauth-throttle';

const FILE_BATCH = 500;
export const DELETED_MESSAGE =
  'Your account has been deleted and you have been signed out. Certificates already issued stay verifiable under the name they were issued to.';

/**
 * "Delete my account" (GDPR Art. 17), immediate: the confirmation (password, the typed word DELETE and,
 * for an account with one, a recent second factor) is the safeguard, and nothing is left half-deleted
 * waiting for a grace period. The account row stays, pseudonymised, because issued certificates,
 * decisions and the audit log refer to its id; everything else that names the person is erased in one
 * transaction, and their files right after it by a job.
 */
@Injectable()
export class AccountDeletionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rateLimiter: RateLimiter,
    private readonly accounts: UserPseudonymisation,
    private readonly users: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly signIn: SignInErasure,
    private readonly exams: ExamsService,
    private readonly examData: ExamPersonalData,
    private readonly portfolioData: PortfolioPersonalData,
    private readonly panelData: PanelPersonalData,
    private readonly mail: StoredMail,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly repository: DataRightsRepository,
    private readonly storage: FileStorage,
    private readonly selfAssessments: SelfAssessmentRepository,
    private readonly holderPages: HolderPagesRepository,
  ) {}

  async delete(user: AuthUser, dto: DeleteAccountDto): Promise<AccountDeletedDto> {
    if (user.secondFactorEnabled && !stepUpUntil(user, this.config)) {
      throw new ForbiddenException({
        message: 'Confirm it is you: enter a code from your authenticator app (or use a passkey) to delete your account',
        reason: STEP_UP_REQUIRED,
      });
    }
    await this.checkPassword(user, dto.password);
    await this.checkNothingOpen(user);
    // An attempt in progress is submitted as it stands (its owner is leaving), so no deadline job scores it later.
    for (const attempt of await this.exams.listAttempts(user)) {
      if (attempt.status === 'in_progress') await this.exams.submit(user, attempt.id);
    }
    const unusableHash = await argon2.hash(randomBytes(32).toString('base64url'), ARGON2_OPTIONS);
    await this.dataSource.transaction(async (tx) => {
      const account = await this.accounts.lock(tx, user.id);
      if (!account || account.deletedAt) throw new UnauthorizedException('Sign in to continue');
      const sessionsEnded = await this.sessions.endAllForUser(tx, user.id, 'account_deleted');
      await this.signIn.eraseFor(tx, user.id);
      await this.examData.eraseFor(tx, user.id);
      await this.portfolioData.eraseDraftsFor(tx, user.id);
      const panelDraftsErased = await this.panelData.eraseDraftsFor(tx, user.id);
      await this.selfAssessments.eraseFor(tx, user.id);
      await this.holderPages.eraseFor(tx, user.id);
      await this.mail.readdress(tx, account.email, deletedAddress(user.id));
      const auditRecordsErased = await this.audit.erasePersonalData(tx, user.id);
      await this.accounts.pseudonymise(tx, user.id, unusableHash);
      await this.repository.insertDeletion(tx, user.id);
      // Open assignments and panel seats go back to their modules' workflows, as for a deactivated account.
      await this.users.releaseOpenWork(tx, user.id, user.id, 'deactivated');
      await this.outbox.enqueue(tx, JobName.EraseAccountFiles, { userId: user.id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'user.deleted',
        subjectType: 'user',
        subjectId: user.id,
        data: { sessionsEnded, auditRecordsErased, panelDraftsErased, rolesHeld: account.roles },
      });
    });
    return { message: DELETED_MESSAGE };
  }

  /**
   * After the erasure's commit (the EraseAccountFiles job): the attachment files, the stored mail and any
   * export archive of the account leave storage. Idempotent; a failure is retried by the job.
   */
  async eraseFiles(userId: string): Promise<void> {
    for (const a of await this.portfolioData.storedAttachments(userId)) {
      await this.storage.remove(a.storageKey);
      await this.portfolioData.markFileErased(a.id);
    }
    while ((await this.mail.eraseSentTo(deletedAddress(userId))) > 0);
    for (;;) {
      const exports = await this.repository.exportsToExpire(FILE_BATCH, userId);
      if (!exports.length) break;
      for (const e of exports) {
        if (e.storageKey) await this.storage.remove(e.storageKey);
        await this.repository.markExpired(e.id);
      }
    }
    await this.repository.markFilesErased(userId);
  }

  /** A wrong password counts with failed sign-ins, so a borrowed session cannot guess its way to an erasure. */
  private async checkPassword(user: AuthUser, password: string): Promise<void> {
    await assertReauthAllowed(this.rateLimiter, this.config.loginThrottle, user.id);
    const account = await this.dataSource.transaction((tx) => this.accounts.lock(tx, user.id));
    if (account && (await argon2.verify(account.passwordHash, password).catch(() => false))) return;
    await recordReauthFailure(this.rateLimiter, this.config.loginThrottle, user);
    throw new UnauthorizedException({ message: 'Your password is not correct', reason: 'wrong_password' });
  }

  /**
   * Work others depend on must end first: a submission being reviewed (its reviewers and the decision need
   * its files), and the last administrator (someone must be able to run the platform).
   */
  private async checkNothingOpen(user: AuthUser): Promise<void> {
    if (user.roles.includes('admin')) {
      const others = await this.dataSource.transaction((tx) => this.accounts.otherActiveAdmins(tx, user.id));
      if (others === 0) {
        throw new ConflictException({
          message: 'You are the last administrator: make someone else an administrator before deleting your account',
          reason: 'last_admin',
        });
      }
    }
    const underReview = await this.portfolioData.submissionsUnderReview(user.id);
    if (underReview > 0) {
      throw new ConflictException({
        message: 'A portfolio of yours is being reviewed: you can delete your account once it has been decided',
        reason: 'open_work',
        submissionsUnderReview: underReview,
      });
    }
  }
}
