import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuditService } from '../audit/audit.service';
import { BankProblem, loadBank } from './bank-files';
import { validateBank } from './bank-validator';
import { loadFramework } from '../programme/framework';
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

interface ExistingItem {
  id: string;
  status: string;
  adopted: boolean;
  current_version_id: string | null;
  domain: string;
}

interface ExistingVersion {
  id: string;
  item_id: string;
  version: number;
  content_hash: string;
}

@Injectable()
export class BankSyncService {
  private readonly logger = new Logger(BankSyncService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
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
      await tx.query('SELECT pg_advisory_xact_lock($1)', [BANK_SYNC_LOCK]);
      const items: ExistingItem[] = await tx.query(`SELECT id, status, adopted, current_version_id, domain FROM items`);
      const versions: ExistingVersion[] = await tx.query(`SELECT id, item_id, version, content_hash FROM item_versions`);
      const byId = new Map(items.map((i) => [i.id, i]));
      // Stage decisions made in the platform (item review workflow) stand for the version they were
      // made on until the files catch up (npm run bank:export-reviews); retiring in git always wins.
      const decisions = await this.stageDecisions.currentStageDecisions(tx);
      const versionsOf = new Map<string, ExistingVersion[]>();
      for (const v of versions) versionsOf.set(v.item_id, [...(versionsOf.get(v.item_id) ?? []), v]);

      const counts: BankSyncReport = { added: 0, changed: 0, retired: 0, unchanged: 0 };
      for (const item of bank.items) {
        const content = contentOf(item);
        const hash = contentHash(content);
        const adopted = Boolean(bank.reviews?.adoptions.some((a) => a.items?.[item.id] === hash));
        const existing = byId.get(item.id);
        if (!existing) {
          await tx.query(`INSERT INTO items (id, domain, criterion, difficulty, status, source_file, adopted) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
            item.id,
            item.domain,
            item.criterion,
            item.difficulty,
            item.status,
            item.source.file,
            adopted,
          ]);
          const versionId = await this.insertVersion(tx, item.id, 1, hash, content);
          await tx.query(`UPDATE items SET current_version_id = $2, retired_at = CASE WHEN $3 = 'retired' THEN now() END WHERE id = $1`, [
            item.id,
            versionId,
            item.status,
          ]);
          counts.added += 1;
          continue;
        }
        const known = versionsOf.get(item.id) ?? [];
        const current = known.find((v) => v.id === existing.current_version_id);
        let versionId = current?.id ?? null;
        if (current?.content_hash !== hash) {
          // Same content as an earlier version (an edit reverted): point back at it rather than duplicate it.
          const same = known.find((v) => v.content_hash === hash);
          versionId = same?.id ?? (await this.insertVersion(tx, item.id, Math.max(0, ...known.map((v) => v.version)) + 1, hash, content));
        }
        const decided = decisions.get(item.id);
        const status = decided && decided.versionId === versionId && item.status !== 'retired' ? existing.status : item.status;
        if (versionId === existing.current_version_id && existing.status === status && existing.domain === item.domain && existing.adopted === adopted) {
          counts.unchanged += 1;
          continue;
        }
        await tx.query(
          `UPDATE items SET current_version_id = $2, status = $3, domain = $4, criterion = $5, source_file = $6, difficulty = $7, adopted = $8,
             updated_at = now(), retired_at = CASE WHEN $3 = 'retired' THEN coalesce(retired_at, now()) END
           WHERE id = $1`,
          [item.id, versionId, status, item.domain, item.criterion, item.source.file, item.difficulty, adopted],
        );
        if (status === 'retired' && existing.status !== 'retired' && versionId === existing.current_version_id) counts.retired += 1;
        else counts.changed += 1;
      }
      const inFiles = new Set(bank.items.map((i) => i.id));
      const gone = items.filter((i) => !inFiles.has(i.id) && i.status !== 'retired').map((i) => i.id);
      if (gone.length) {
        await tx.query(`UPDATE items SET status = 'retired', retired_at = now(), updated_at = now() WHERE id = ANY($1)`, [gone]);
        counts.retired += gone.length;
      }
      await tx.query(`INSERT INTO bank_syncs (added, changed, retired, unchanged) VALUES ($1, $2, $3, $4)`, [
        counts.added,
        counts.changed,
        counts.retired,
        counts.unchanged,
      ]);
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

  private async insertVersion(tx: EntityManager, itemId: string, version: number, hash: string, content: object): Promise<string> {
    const [row] = await tx.query(
      `INSERT INTO item_versions (item_id, version, content_hash, content) VALUES ($1, $2, $3, $4) RETURNING id`,
      [itemId, version, hash, content],
    );
    return row.id;
  }
}
