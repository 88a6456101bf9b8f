import { BeforeApplicationShutdown, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { FrameworkDto, ItemDetailDto, ItemQueryDto, ItemSummaryDto, ItemVersionDto } from './dto/question-bank.dto';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { citationsOf } from '../programme/programme-pages';
import { QuestionBankRepository } from './question-bank.repository';

/** How long exposures counted at a start wait in memory before they are written together. */
export const EXPOSURE_FLUSH_MS = 200;

@Injectable()
export class QuestionBankService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(QuestionBankService.name);
  /** Forms that showed each item, counted here and not yet written. */
  private pendingExposure = new Map<string, number>();
  private flushTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: QuestionBankRepository,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  /**
   * Counts that these items were shown on a form (the draw prefers the least exposed), written with every
   * other start's within EXPOSURE_FLUSH_MS in one transaction. Every start shows the least-exposed items, so
   * writing each start's increments on its own made concurrent starts queue on the same rows.
   *
   * Trade-off: a draw sees counts up to EXPOSURE_FLUSH_MS old (the draw's jitter already treats items
   * within 1.5 uses as equals), and counts still in memory when a process is killed are lost (a clean stop
   * writes them); a failed write keeps them for the next. Exposure steers the draw and informs the item
   * statistics; no candidate's result depends on it.
   */
  countExposure(itemIds: string[]): void {
    this.addExposure(itemIds.map((id) => [id, 1]));
  }

  /** Counts these items at once, with whatever else is waiting (tools and tests that read the counts next). */
  async recordExposure(itemIds: string[]): Promise<void> {
    this.addExposure(itemIds.map((id) => [id, 1]));
    await this.flushExposure(true);
  }

  /** Adds counts to those waiting and makes sure a write is scheduled. */
  private addExposure(counts: Iterable<readonly [string, number]>): void {
    for (const [id, n] of counts) this.pendingExposure.set(id, (this.pendingExposure.get(id) ?? 0) + n);
    this.flushTimer ??= setTimeout(() => void this.flushExposure(), EXPOSURE_FLUSH_MS).unref();
  }

  /** Writes the counts waiting in memory; `rethrow`: a failure is the caller's (they are kept for the next write). */
  async flushExposure(rethrow = false): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const counts = this.pendingExposure;
    if (counts.size === 0) return;
    this.pendingExposure = new Map();
    try {
      await this.repository.incrementExposure(counts);
    } catch (error) {
      this.addExposure(counts);
      if (rethrow) throw error;
      this.logger.warn(`exposure of ${counts.size} items not written yet: ${(error as Error).message}`);
    }
  }

  // Before the data source closes (TypeORM closes it in onApplicationShutdown).
  async beforeApplicationShutdown(): Promise<void> {
    await this.flushExposure();
  }

  frameworkSummary(): FrameworkDto {
    const f = this.programme.framework;
    const pages = this.programme.pages.framework;
    return {
      code: f.code,
      version: f.version,
      title: f.title,
      publisher: f.publisher,
      year: f.year,
      licence: f.licence,
      licenceUrl: pages.licenceUrl,
      url: pages.url,
      citations: citationsOf(f, pages.url),
      versions: pages.versions,
      attribution: f.attribution,
      domains: f.domains.map((d) => ({ code: d.code, number: d.number, title: d.title, summary: d.summary, criteria: d.criteria })),
    };
  }

  async listItems(query: ItemQueryDto): Promise<ItemSummaryDto[]> {
    const rows = await this.repository.listWithCurrentVersion(query);
    return rows.map(({ item, current }) => ItemSummaryDto.from(item, current));
  }

  async itemDetail(id: string): Promise<ItemDetailDto> {
    const item = await this.repository.findItem(id);
    if (!item) throw new NotFoundException('No such item');
    const versions = await this.repository.versionsOf(id);
    return {
      id: item.id,
      domain: item.domain,
      criterion: item.criterion,
      status: item.status,
      sourceFile: item.sourceFile,
      retiredAt: item.retiredAt?.toISOString() ?? null,
      versions: versions.map((v) => ItemVersionDto.from(v, item.currentVersionId)),
    };
  }
}
