import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { NoStore } from '../../common/http/no-store';
import { AuditRead } from '../audit/audit-read';
import { PersonActivityDto } from './dto/person-activity.dto';
import { PersonActivityService } from './person-activity.service';

/** The activity part of an administrator's page about one person (the account itself: AccountAdminController). */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@NoStore()
@Controller('admin/users')
export class PersonActivityController {
  constructor(private readonly activity: PersonActivityService) {}

  @Get(':userId/activity')
  @AuditRead({ action: 'user.activity_viewed', subjectType: 'user', subjectParam: 'userId' })
  @ApiOkResponse({
    type: PersonActivityDto,
    description:
      'live sessions, AIDA attempts, portfolios and submitted versions, certificates, and the newest audit entries by or about them',
  })
  @ApiNotFoundResponse({ description: 'no such person' })
  activityOf(@Param('userId', ParseUUIDPipe) userId: string): Promise<PersonActivityDto> {
    return this.activity.of(userId);
  }
}
