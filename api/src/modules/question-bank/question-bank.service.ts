import { Injectable, NotFoundException } from '@nestjs/common';
import { FrameworkDto, ItemDetailDto, ItemQueryDto, ItemSummaryDto, ItemVersionDto } from './dto/question-bank.dto';
import { ProgrammeCatalogue } from '../programme/programme-catalogue';
import { QuestionBankRepository } from './question-bank.repository';

@Injectable()
export class QuestionBankService {
  constructor(
    private readonly repository: QuestionBankRepository,
    private readonly programme: ProgrammeCatalogue,
  ) {}

  /** Counts that these items were shown on a form (the draw prefers the least exposed). */
  async recordExposure(itemIds: string[]): Promise<void> {
    await this.repository.incrementExposure(itemIds);
  }

  frameworkSummary(): FrameworkDto {
    const f = this.programme.framework;
    return {
      code: f.code,
      version: f.version,
      title: f.title,
      publisher: f.publisher,
      licence: f.licence,
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
