import { BadRequestException, Controller, DefaultValuePipe, Get, ParseIntPipe, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { NoStore } from '../../common/http/no-store';
import { AuditRead } from './audit-read';
import { AuditViewerService } from './audit-viewer.service';
import { type AuditListKind, AuditService } from './audit.service';
import { AuditChainReportDto, AuditLogEntryDto } from './dto/audit.dto';
import { AUDIT_EXPORT_MAX_ROWS, AuditActionsDto, AuditEntriesPageDto, AuditEntriesQueryDto, AuditFilterDto } from './dto/audit-entries.dto';

const CSV = 'text/csv; charset=utf-8';
const BAD_FILTER =
  'a filter is malformed, in plain words: a date that is not YYYY-MM-DD or not a real day, from after to, an unknown kind, ' +
  'person not an account id, a page below 1 or a page size above 500, an unknown parameter';

const KINDS: AuditListKind[] = ['all', 'decisions', 'reads'];

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly viewer: AuditViewerService,
  ) {}

  @Get()
  @NoStore()
  @AuditRead({ action: 'audit.listed', subjectType: 'audit_log' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({
    name: 'kind',
    required: false,
    enum: KINDS,
    description: '`decisions`: everything but reads of sensitive data; `reads`: only those (downloads, views, lists); default `all`',
  })
  @ApiOkResponse({ type: [AuditLogEntryDto] })
  @ApiBadRequestResponse({ description: 'limit is not a number, or kind is not all, decisions or reads' })
  async recent(
    @Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number,
    @Query('kind', new DefaultValuePipe('all')) kind: string,
  ): Promise<AuditLogEntryDto[]> {
    if (!KINDS.includes(kind as AuditListKind)) throw new BadRequestException(`kind must be one of ${KINDS.join(', ')}`);
    const rows = await this.audit.recent(Math.min(Math.max(limit, 1), 500), kind as AuditListKind);
    return rows.map(AuditLogEntryDto.from);
  }

  @Get('entries')
  @NoStore()
  @AuditRead({ action: 'audit.listed', subjectType: 'audit_log' })
  @ApiOkResponse({ type: AuditEntriesPageDto, description: 'one page of the entries matching every filter given, newest first' })
  @ApiBadRequestResponse({ description: BAD_FILTER })
  entries(@Query() query: AuditEntriesQueryDto): Promise<AuditEntriesPageDto> {
    return this.viewer.list(query);
  }

  @Get('entries/export.csv')
  @NoStore()
  @AuditRead({ action: 'audit.exported', subjectType: 'audit_log' })
  @ApiProduces(CSV)
  @ApiOkResponse({
    description:
      `the entries matching the filters as CSV, newest first, at most the newest ${AUDIT_EXPORT_MAX_ROWS} of them ` +
      '(X-Total-Count says how many matched: narrow the dates to export the rest). Columns: id, occurred_at, actor_id, ' +
      'actor_name, action, subject_type, subject_id, data (the JSON), hash, hash_version; a cell starting with = + - @, a ' +
      "tab or a carriage return is written with a leading ' so that a spreadsheet does not run it as a formula.",
    schema: { type: 'string' },
    headers: {
      'X-Total-Count': { description: 'entries matching the filters', schema: { type: 'integer' } },
      'X-Export-Rows': { description: 'entries in this file', schema: { type: 'integer' } },
    },
  })
  @ApiBadRequestResponse({ description: BAD_FILTER })
  async exportCsv(@Query() query: AuditFilterDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const { csv, matched, rows } = await this.viewer.exportCsv(query);
    // Set here, not by @Header: those apply before validation, and a 400 would then come as a CSV attachment.
    res
      .setHeader('Content-Type', CSV)
      .setHeader('Content-Disposition', 'attachment; filename="audit-log.csv"')
      .setHeader('X-Total-Count', String(matched))
      .setHeader('X-Export-Rows', String(rows));
    return csv;
  }

  @Get('actions')
  @ApiOkResponse({ type: AuditActionsDto, description: 'the distinct actions in the log (for a filter)' })
  async actions(): Promise<AuditActionsDto> {
    return { actions: await this.viewer.actions() };
  }

  @Get('verify')
  @ApiOkResponse({
    type: AuditChainReportDto,
    description:
      'every link (keyed HMAC since issue #14) and every checkpoint written outside the database; valid: false names the first bad row',
  })
  verify(): Promise<AuditChainReportDto> {
    return this.audit.verifyChain();
  }
}
