import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { AdminDashboardService } from './admin-dashboard.service';
import { AdminDashboardDto, DashboardQueryDto } from './dto/admin-dashboard.dto';

/** The administrator dashboard: counts only, no personal data (so no step-up and no audited read). */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/dashboard')
export class AdminDashboardController {
  constructor(private readonly dashboard: AdminDashboardService) {}

  @Get()
  @ApiOkResponse({
    type: AdminDashboardDto,
    description: 'key figures over the period (UTC days, both included; default the last 30 days ending today)',
  })
  @ApiBadRequestResponse({ description: 'a date that is not YYYY-MM-DD or not a real day, `from` after `to`, or more than 366 days' })
  figures(@Query() query: DashboardQueryDto): Promise<AdminDashboardDto> {
    return this.dashboard.dashboard(query);
  }
}
