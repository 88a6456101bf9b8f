import { Controller, DefaultValuePipe, Get, ParseIntPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { AuditService } from './audit.service';
import { AuditChainReportDto, AuditLogEntryDto } from './dto/audit.dto';

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiOkResponse({ type: [AuditLogEntryDto] })
  async recent(@Query('limit', new DefaultValuePipe(100), ParseIntPipe) limit: number): Promise<AuditLogEntryDto[]> {
    const rows = await this.audit.recent(Math.min(Math.max(limit, 1), 500));
    return rows.map(AuditLogEntryDto.from);
  }

  @Get('verify')
  @ApiOkResponse({ type: AuditChainReportDto })
  verify(): Promise<AuditChainReportDto> {
    return this.audit.verifyChain();
  }
}
