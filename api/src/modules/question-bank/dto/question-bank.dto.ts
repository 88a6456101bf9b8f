import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { DIFFICULTIES, ITEM_STATUSES } from '../bank-files';
import { ItemVersion } from '../entities/item-version.entity';
import { Item } from '../entities/item.entity';

export class ItemQueryDto {
  @ApiPropertyOptional({ example: 'D04' })
  @IsOptional()
  @Matches(/^D0[1-8]$/, { message: 'domain must be a domain code such as D04' })
  domain?: string;

  @ApiPropertyOptional({ example: 'D04.2' })
  @IsOptional()
  @Matches(/^D0[1-8]\.[1-5]$/, { message: 'criterion must be a criterion code such as D04.2' })
  criterion?: string;

  @ApiPropertyOptional({ enum: ITEM_STATUSES })
  @IsOptional()
  @IsIn(ITEM_STATUSES)
  status?: (typeof ITEM_STATUSES)[number];
}

export class ItemSummaryDto {
  @ApiProperty({ example: 'D04-007' }) id: string;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty({ enum: ITEM_STATUSES }) status: string;
  @ApiProperty({ enum: DIFFICULTIES }) difficulty: string;
  @ApiProperty({ description: 'current version number' }) version: number;
  @ApiProperty() stem: string;
  @ApiProperty() updatedAt: string;

  static from(item: Item, current: ItemVersion | null): ItemSummaryDto {
    return {
      id: item.id,
      domain: item.domain,
      criterion: item.criterion,
      status: item.status,
      difficulty: current?.content.difficulty ?? 'medium',
      version: current?.version ?? 0,
      stem: current?.content.stem ?? '',
      updatedAt: item.updatedAt.toISOString(),
    };
  }
}

export class ItemOptionDto {
  @ApiProperty() id: string;
  @ApiProperty() text: string;
  @ApiProperty() key: boolean;
  @ApiProperty() rationale: string;
}

export class ItemVersionDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() contentHash: string;
  @ApiProperty() createdAt: string;
  @ApiProperty() current: boolean;
  @ApiProperty() criterion: string;
  @ApiProperty({ enum: DIFFICULTIES }) difficulty: string;
  @ApiProperty() stem: string;
  @ApiProperty({ type: [ItemOptionDto] }) options: ItemOptionDto[];
  @ApiProperty() notes: string;

  static from(v: ItemVersion, currentId: string | null): ItemVersionDto {
    return {
      id: v.id,
      version: v.version,
      contentHash: v.contentHash,
      createdAt: v.createdAt.toISOString(),
      current: v.id === currentId,
      criterion: v.content.criterion,
      difficulty: v.content.difficulty,
      stem: v.content.stem,
      options: v.content.options,
      notes: v.content.notes,
    };
  }
}

export class ItemDetailDto {
  @ApiProperty() id: string;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty({ enum: ITEM_STATUSES }) status: string;
  @ApiProperty({ type: String, nullable: true }) sourceFile: string | null;
  @ApiProperty({ type: String, nullable: true }) retiredAt: string | null;
  @ApiProperty({ type: [ItemVersionDto], description: 'newest first' }) versions: ItemVersionDto[];
}

export class FrameworkCriterionDto {
  @ApiProperty({ example: 'D04.2' }) code: string;
  @ApiProperty() text: string;
}

export class FrameworkDomainDto {
  @ApiProperty({ example: 'D04' }) code: string;
  @ApiProperty() number: number;
  @ApiProperty() title: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: [FrameworkCriterionDto] }) criteria: FrameworkCriterionDto[];
}

export class FrameworkCitationsDto {
  @ApiProperty() apa: string;
  @ApiProperty() ieee: string;
  @ApiProperty({ description: 'a BibTeX @misc entry, several lines' }) bibtex: string;
}

export class FrameworkVersionDto {
  @ApiProperty({ example: '1.0' }) version: string;
  @ApiProperty({ example: 2024 }) year: number;
  @ApiProperty() changes: string;
}

export class FrameworkDto {
  @ApiProperty({ example: 'PSF' }) code: string;
  @ApiProperty({ example: '1.0' }) version: string;
  @ApiProperty() title: string;
  @ApiProperty() publisher: string;
  @ApiProperty({ example: 2024 }) year: number;
  @ApiProperty({ example: 'CC-BY-4.0' }) licence: string;
  @ApiProperty({ description: 'the licence text', example: 'https://creativecommons.org/licenses/by/4.0/' }) licenceUrl: string;
  @ApiProperty({ description: "the publisher's page of the framework" }) url: string;
  @ApiProperty({ type: FrameworkCitationsDto }) citations: FrameworkCitationsDto;
  @ApiProperty({ type: [FrameworkVersionDto], description: 'oldest first' }) versions: FrameworkVersionDto[];
  @ApiProperty({ description: 'must be shown wherever framework content is shown (CC BY 4.0)' }) attribution: string;
  @ApiProperty({ type: [FrameworkDomainDto] }) domains: FrameworkDomainDto[];
}
