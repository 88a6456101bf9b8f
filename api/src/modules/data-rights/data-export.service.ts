import { ConflictException, GoneException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user';
import { TooManyRequestsException } from '../../common/errors/too-many-requests.exception';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { FileStorage } from '../../infrastructure/storage/file-storage';
import { AuditService } from '../audit/audit.service';
import { MailService } from '../notifications/mail.service';
import { UsersService } from '../users/users.service';
import { DataRightsRepository } from './data-rights.repository';
import { DataExportDto } from './dto/data-rights.dto';
import { PersonalDataExport } from './personal-data-export';
import { zip } from './zip-writer';

/** One export an hour: building one reads everything the person has, files included. */
const EXPORT_INTERVAL_SECONDS = 3600;
const STUCK_AFTER_SECONDS = 3600;
const NO_SUCH_EXPORT = 'No such export';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** "Download my data" (GDPR Art. 15 and 20): a job builds a zip, the owner gets an e-mailed link that expires. */
@Injectable()
export class DataExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exports: DataRightsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly storage: FileStorage,
  ) {}

  /** Queues an export (202); 409 while one is being built, 429 within an hour of the last one. */
  async request(user: AuthUser): Promise<DataExportDto> {
    const [latest] = await this.exports.latestExports(user.id, 1);
    if (latest?.status === 'queued' && Date.now() - latest.createdAt.getTime() > STUCK_AFTER_SECONDS * 1000) {
      // The job used up its retries (it runs in seconds): count it failed so the person can ask again.
      await this.exports.markFailed(latest.id);
      latest.status = 'failed';
    }
    if (latest?.status === 'queued') {
      throw new ConflictException({
        message: 'Your data is already being prepared; we will e-mail you a link',
        reason: 'export_in_progress',
      });
    }
    const since = latest && latest.status !== 'failed' ? (Date.now() - latest.createdAt.getTime()) / 1000 : Infinity;
    if (since < EXPORT_INTERVAL_SECONDS) {
      const retryAfter = Math.ceil(EXPORT_INTERVAL_SECONDS - since);
      throw new TooManyRequestsException(
        `You can ask for your data once an hour; try again in ${Math.ceil(retryAfter / 60)} minutes`,
        retryAfter,
      );
    }
    const row = await this.dataSource.transaction(async (tx) => {
      const created = await this.exports.insertExport(tx, user.id);
      if (!created) return null;
      await this.outbox.enqueue(tx, JobName.BuildDataExport, { exportId: created.id });
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'data.export_requested',
        subjectType: 'user',
        subjectId: user.id,
        data: { exportId: created.id },
      });
      return created;
    });
    if (!row)
      throw new ConflictException({
        message: 'Your data is already being prepared; we will e-mail you a link',
        reason: 'export_in_progress',
      });
    return DataExportDto.from(row);
  }

  async list(user: AuthUser): Promise<DataExportDto[]> {
    return (await this.exports.latestExports(user.id, 5)).map(DataExportDto.from);
  }

  async get(user: AuthUser, id: string): Promise<DataExportDto> {
    const row = await this.exports.findExport(id);
    if (!row || row.userId !== user.id) throw new NotFoundException(NO_SUCH_EXPORT);
    return DataExportDto.from(row);
  }

  /**
   * The file, for the signed-in owner holding the e-mailed token: both are needed, so neither a leaked
   * link nor a borrowed session is enough. Another person's export and a wrong token answer the same 404.
   */
  async download(user: AuthUser, id: string, token: string): Promise<{ data: Buffer; fileName: string }> {
    return this.dataSource.transaction(async (tx) => {
      const row = await this.exports.lockExport(tx, id);
      if (!row || row.userId !== user.id) throw new NotFoundException(NO_SUCH_EXPORT);
      const expired = row.status === 'expired' || (row.expiresAt !== null && row.expiresAt.getTime() <= Date.now());
      if (expired) throw new GoneException({ message: 'This link has expired; ask for your data again', reason: 'export_expired' });
      if (row.status !== 'ready' || !row.tokenHash || !row.storageKey) throw new NotFoundException(NO_SUCH_EXPORT);
      const given = Buffer.from(hashToken(token));
      if (!timingSafeEqual(given, Buffer.from(row.tokenHash))) throw new NotFoundException(NO_SUCH_EXPORT);
      const data = await this.storage.get(row.storageKey);
      if (!data)
        throw new GoneException({ message: 'This export is no longer available; ask for your data again', reason: 'export_expired' });
      await this.exports.markDownloaded(tx, id);
      await this.audit.append(tx, {
        actorId: user.id,
        action: 'data.export_downloaded',
        subjectType: 'user',
        subjectId: user.id,
        data: { exportId: id },
      });
      return { data, fileName: `psf-personal-data-${row.createdAt.toISOString().slice(0, 10)}.zip` };
    });
  }
}

/**
 * The job's side: builds the archive, stores it under DATA_DIR, and mails the owner a link whose raw
 * token exists only in the mail. Safe to run twice: a built export is not rebuilt, and a link whose
 * mail was not confirmed sent is replaced by a new one.
 */
@Injectable()
export class DataExportBuilder {
  private readonly logger = new Logger(DataExportBuilder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exports: DataRightsRepository,
    private readonly storage: FileStorage,
    private readonly users: UsersService,
    private readonly collector: PersonalDataExport,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async build(exportId: string): Promise<void> {
    const row = await this.exports.findExport(exportId);
    if (!row || row.status === 'failed' || row.status === 'expired' || row.mailedAt) return;
    const user = await this.users.findById(row.userId);
    if (!user) return;
    let token: string;
    try {
      token = row.status === 'queued' ? await this.buildFile(exportId, user) : await this.newLink(exportId);
    } catch (error) {
      this.logger.error(`data export ${exportId} failed: ${(error as Error).message}`);
      throw error;
    }
    const fresh = (await this.exports.findExport(exportId))!;
    await this.mail.send({
      dedupeKey: `data-export:${exportId}:${fresh.tokenHash!.slice(0, 16)}`,
      template: 'data-export-ready',
      to: user.email,
      subject: 'Your data from the PSF certification platform is ready',
      text: [
        `Hello ${user.fullName},`,
        '',
        'The copy of your personal data that you asked for is ready. Sign in and download it here:',
        `${this.config.publicUrl}/account/data-export/${exportId}?token=${token}`,
        '',
        `The link works for ${this.config.dataExportTtlHours} hours and only while you are signed in to your account; then the file is deleted.`,
        'If you did not ask for this, change your password: someone may have signed in to your account.',
      ].join('\n'),
    });
    await this.exports.markMailed(exportId);
  }

  private async buildFile(exportId: string, user: NonNullable<Awaited<ReturnType<UsersService['findById']>>>): Promise<string> {
    const archive = zip(await this.collector.collect(user));
    const storageKey = `exports/${user.id}/${exportId}.zip`;
    await this.storage.put(storageKey, archive);
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.transaction(async (tx) => {
      const locked = await this.exports.lockExport(tx, exportId);
      if (locked?.status !== 'queued') throw new Error(`export ${exportId} changed while it was built`);
      await this.exports.markReady(tx, exportId, {
        storageKey,
        sizeBytes: archive.length,
        tokenHash: hashToken(token),
        ttlHours: this.config.dataExportTtlHours,
      });
      await this.audit.append(tx, {
        actorId: null,
        action: 'data.export_built',
        subjectType: 'user',
        subjectId: user.id,
        data: { exportId, sizeBytes: archive.length },
      });
    });
    return token;
  }

  private async newLink(exportId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.dataSource.transaction((tx) => this.exports.replaceToken(tx, exportId, hashToken(token)));
    return token;
  }
}
