import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/** Blank query parameters count as absent (a search form sends `?query=`). */
export const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || undefined : value);

/** A calendar day, `YYYY-MM-DD`, read as a UTC day. */
export function IsDay(): PropertyDecorator {
  return Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: ({ property }) => `${property} must be a date written YYYY-MM-DD`,
  });
}

/**
 * The paging and ordering every console list shares: `page` (from 1), `pageSize` (1–500, default 50)
 * and `order`. Each list adds its own filters, its `query` and its `sort` keys.
 */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'the direction of `sort`; each list documents its default' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: SortOrder;
}

/** A free-text `query` on a list: trimmed, at most 200 characters. */
export class SearchableListQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ description: 'part of a name, e-mail address or number (case-insensitive)' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  query?: string;
}

export interface PageRequest {
  page: number;
  pageSize: number;
  offset: number;
}

export function pageRequest(q: ListQueryDto): PageRequest {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, offset: (page - 1) * pageSize };
}

/** `%part%` for ILIKE, with the pattern characters in the typed text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Two inclusive UTC days as a half-open instant range `[from 00:00Z, to+1 00:00Z)`: the reading
 * every list and the dashboard share, so a figure and the list behind it count the same rows.
 */
export function dayRange(from: string | undefined, to: string | undefined, names = ['from', 'to']): { start?: Date; end?: Date } {
  const start = from ? utcDay(from, names[0]) : undefined;
  const last = to ? utcDay(to, names[1]) : undefined;
  if (start && last && start > last) throw new BadRequestException(`${names[0]} must not be after ${names[1]}`);
  return { start, end: last ? new Date(last.getTime() + 86_400_000) : undefined };
}

/** `YYYY-MM-DD` as its UTC midnight; a day that does not exist (2026-02-30) is refused. */
export function utcDay(day: string, name = 'date'): Date {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day)
    throw new BadRequestException(`${name} is not a real date: ${day}`);
  return d;
}
