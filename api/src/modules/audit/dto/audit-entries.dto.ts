import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import type { AuditListKind } from '../audit.service';
import type { AuditListRow } from '../audit.repository';
import { AuditLogEntryDto } from './audit.dto';

export const AUDIT_KINDS: readonly AuditListKind[] = ['all', 'decisions', 'reads'];
export const AUDIT_MAX_PAGE_SIZE = 500;
export const AUDIT_DEFAULT_PAGE_SIZE = 50;
/** The most rows one CSV export holds (the newest that match); narrow the dates to export older ones. */
export const AUDIT_EXPORT_MAX_ROWS = 50_000;

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The audit viewer's filters (`GET /api/admin/audit/entries` and its CSV export); every filter given must hold. */
export class AuditFilterDto {
  @ApiPropertyOptional({
    description:
      "who acted: an account id (exact), or else part of the acting account's name or e-mail address (case-insensitive). " +
      'Entries written by the platform itself (no actor) match only when no actor is given.',
    example: 'lovelace',
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "entries by this account or about it (subject type `user`): a person's whole trail",
  })
  @IsOptional()
  @IsUUID()
  person?: string;

  @ApiPropertyOptional({ description: 'what the entry is about (exact), e.g. `user`, `certificate`, `attempt`', example: 'certificate' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(100)
  subjectType?: string;

  @ApiPropertyOptional({ description: 'the id of what the entry is about (exact)' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  subjectId?: string;

  @ApiPropertyOptional({
    description:
      'the action: exact (`certificate.issued`), or a prefix when it ends with a dot (`certificate.` for every certificate action)',
    example: 'certificate.',
  })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  action?: string;

  @ApiPropertyOptional({ description: 'first day (UTC, YYYY-MM-DD, inclusive)', example: '2026-01-01' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real date (YYYY-MM-DD)' })
  from?: string;

  @ApiPropertyOptional({ description: 'last day (UTC, YYYY-MM-DD, inclusive); not before `from`', example: '2026-12-31' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real date (YYYY-MM-DD)' })
  to?: string;

  @ApiPropertyOptional({
    enum: AUDIT_KINDS,
    default: 'all',
    description: '`decisions`: everything but reads of sensitive data; `reads`: only those (downloads, views, lists)',
  })
  @IsOptional()
  @IsIn(AUDIT_KINDS)
  kind?: AuditListKind;
}

export class AuditEntriesQueryDto extends AuditFilterDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_MAX_PAGE_SIZE, default: AUDIT_DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_MAX_PAGE_SIZE)
  pageSize?: number;
}

/** An entry as the viewer lists it: the chained row, and the acting account's name (the data beside the chain is not shown). */
export class AuditEntryDto extends AuditLogEntryDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: "the acting account's name ('Deleted account' once erased); null for the platform's own entries",
  })
  actorName: string | null;

  static override from(row: AuditListRow): AuditEntryDto {
    return { ...AuditLogEntryDto.from(row), actorName: row.actorName };
  }
}

export class AuditEntriesPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'newest first' }) items: AuditEntryDto[];
  @ApiProperty({ description: 'entries matching the filters, in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AuditActionsDto {
  @ApiProperty({ type: [String], description: 'every action the log holds, alphabetically' }) actions: string[];
}
