import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { BankProblem, loadBank } from './bank-files';
import { validateBank } from './bank-validator';
import { loadFramework } from '../programme/framework';
import { BankSyncRepository, type SyncedVersion } from './bank-sync.repository';
import { contentHash, contentOf } from './item-content';
import { ItemReviewRepository } from './item-review.repository';

// Two API processes starting together take turns; the second finds nothing to do.
const BANK_SYNC_LOCK = 7_346_003;

export interface BankSyncReport {
  added: number;
  changed: number;
  retired: number;
  unchanged: number;
}

export class BankInvalidError extends Error {
  constructor(readonly problems: BankProblem[]) {
    super(`the question bank has ${problems.length} problem(s); run \`npm run bank:check\``);
  }
}

@Injectable()
export class BankSyncService {
  private readonly logger = new Logger(BankSyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly bankRows: BankSyncRepository,
    private readonly stageDecisions: ItemReviewRepository,
  ) {}

  /**
   * Makes the database match the bank files. A changed item gets a new immutable version; an item
   * gone from the files is retired, never deleted. Refuses (changing nothing) when the bank is invalid.
   */
  async syncFromFiles(bankDir = this.config.bankDir): Promise<BankSyncReport> {
    const bank = loadBank(bankDir);
    const problems = validateBank(bank, loadFramework(bankDir));
    if (problems.length) throw new BankInvalidError(problems);

    const report = await this.dataSource.transaction(async (tx) => {
      await this.bankRows.lock(tx, BANK_SYNC_LOCK);
      const items = await this.bankRows.items(tx);
      const versions = await this.bankRows.versions(tx);
      const byId = new Map(items.map((i) => [i.id, i]));
      // Stage decisions made in the platform (item review workflow) stand for the version they were
      // made on until the files catch up (npm run bank:export-reviews); retiring in git always wins.
      const decisions = await this.stageDecisions.currentStageDecisions(tx);
      const versionsOf = new Map<string, SyncedVersion[]>();
      for (const v of versions) versionsOf.set(v.itemId, [...(versionsOf.get(v.itemId) ?? []), v]);

      const counts: BankSyncReport = { added: 0, changed: 0, retired: 0, unchanged: 0 };
      for (const item of bank.items) {
        const content = contentOf(item);
        const hash = contentHash(content);
        const adopted = Boolean(bank.reviews?.adoptions.some((a) => a.items?.[item.id] === hash));
        const existing = byId.get(item.id);
        if (!existing) {
          await this.bankRows.insertItem(tx, {
            id: item.id,
            domain: item.domain,
            criterion: item.criterion,
            difficulty: item.difficulty,
            status: item.status,
            sourceFile: item.source.file,
            adopted,
          });
          const versionId = await this.bankRows.insertVersion(tx, item.id, 1, hash, content);
          await this.bankRows.setFirstVersion(tx, item.id, versionId, item.status);
          counts.added += 1;
          continue;
        }
        const known = versionsOf.get(item.id) ?? [];
        const current = known.find((v) => v.id === existing.currentVersionId);
        let versionId = current?.id ?? null;
        if (current?.contentHash !== hash) {
          // Same content as an earlier version (an edit reverted): point back at it rather than duplicate it.
          const same = known.find((v) => v.contentHash === hash);
          versionId = same?.id ?? (await this.bankRows.insertVersion(tx, item.id, Math.max(0, ...known.map((v) => v.version)) + 1, hash, content));
        }
        const decided = decisions.get(item.id);
        const status = decided && decided.versionId === versionId && item.status !== 'retired' ? existing.status : item.status;
        if (versionId === existing.currentVersionId && existing.status === status && existing.domain === item.domain && existing.adopted === adopted) {
          counts.unchanged += 1;
          continue;
        }
        await this.bankRows.updateItem(tx, {
          id: item.id,
          currentVersionId: versionId,
          status,
          domain: item.domain,
          criterion: item.criterion,
          sourceFile: item.source.file,
          difficulty: item.difficulty,
          adopted,
        });
        if (status === 'retired' && existing.status !== 'retired' && versionId === existing.currentVersionId) counts.retired += 1;
        else counts.changed += 1;
      }
      const inFiles = new Set(bank.items.map((i) => i.id));
      const gone = items.filter((i) => !inFiles.has(i.id) && i.status !== 'retired').map((i) => i.id);
      if (gone.length) {
        await this.bankRows.retire(tx, gone);
        counts.retired += gone.length;
      }
      await this.bankRows.recordSync(tx, counts);
      if (counts.added || counts.changed || counts.retired) {
        await this.audit.append(tx, { actorId: null, action: 'bank.synced', subjectType: 'question_bank', data: { ...counts } });
      }
      return counts;
    });
    this.logger.log(
      `question bank synced: ${report.added} added, ${report.changed} changed, ${report.retired} retired, ${report.unchanged} unchanged`,
    );
    return report;
  }
}
