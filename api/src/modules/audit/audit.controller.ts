import { BadRequestException, Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { type AuditListKind, AuditService } from './audit.service';
import { AuditChainReportDto, AuditLogEntryDto } from './dto/audit.dto';

const KINDS: AuditListKind[] = ['all', 'decisions', 'reads'];

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
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
