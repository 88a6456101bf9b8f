import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import { MessageDto } from '../auth/accounts.dto';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { AccountAdminService } from './account-admin.service';
import { PeoplePageDto, PeopleQueryDto, PersonDetailDto, StandingReasonDto } from './dto/account-admin.dto';
import { AuditRead } from '../audit/audit-read';
import { CsvExport } from '../../common/lists/csv-export';

/** The People page: find anyone, and change their standing (deactivate, reactivate, force a password reset). */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/users')
export class AccountAdminController {
  constructor(private readonly accounts: AccountAdminService) {}

  @Get()
  @AuditRead({ action: 'user.listed', subjectType: 'user' })
  @ApiOkResponse({ type: PeoplePageDto, description: 'one page of people, newest first unless sorted otherwise' })
  @ApiBadRequestResponse({
    description:
      'an unknown role, status or sort, a day not written YYYY-MM-DD, createdFrom after createdTo, a page below 1 or a page size above 500',
  })
  search(@Query() query: PeopleQueryDto): Promise<PeoplePageDto> {
    return this.accounts.search(query);
  }

  @Get('export.csv')
  @AuditRead({ action: 'user.exported', subjectType: 'user' })
  @CsvExport('people.csv', 'the people the same filters find, in the same order')
  exportCsv(@Query() query: PeopleQueryDto): Promise<string> {
    return this.accounts.exportCsv(query);
  }

  @Get(':userId')
  @AuditRead({ action: 'user.viewed', subjectType: 'user', subjectParam: 'userId' })
  @ApiOkResponse({ type: PersonDetailDto })
  @ApiNotFoundResponse({ description: 'no such person' })
  detail(@Param('userId', ParseUUIDPipe) userId: string): Promise<PersonDetailDto> {
    return this.accounts.detail(userId);
  }

  @Post(':userId/deactivate')
  @HttpCode(200)
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own account included)`)
  @ApiOkResponse({ type: PersonDetailDto, description: 'deactivated: every session ended, open reviews and panel seats released' })
  @ApiBadRequestResponse({ description: 'reason missing' })
  @ApiNotFoundResponse({ description: 'no such person' })
  @ApiConflictResponse({ description: "reason 'last_admin' (the last active administrator) or 'already_deactivated'" })
  deactivate(
    @CurrentUser() actor: AuthUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: StandingReasonDto,
  ): Promise<PersonDetailDto> {
    return this.accounts.deactivate(actor, userId, dto.reason);
  }

  @Post(':userId/reactivate')
  @HttpCode(200)
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own account included)`)
  @ApiOkResponse({ type: PersonDetailDto, description: 'the account can sign in again' })
  @ApiBadRequestResponse({ description: 'reason missing' })
  @ApiNotFoundResponse({ description: 'no such person' })
  @ApiConflictResponse({ description: "reason 'not_deactivated'" })
  reactivate(
    @CurrentUser() actor: AuthUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: StandingReasonDto,
  ): Promise<PersonDetailDto> {
    return this.accounts.reactivate(actor, userId, dto.reason);
  }

  @Post(':userId/force-password-reset')
  @HttpCode(202)
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own account included: change your password from your account page)`)
  @ApiAcceptedResponse({
    type: MessageDto,
    description: 'the password no longer works, every session ended, earlier reset links are spent, a new one is mailed',
  })
  @ApiBadRequestResponse({ description: 'reason missing' })
  @ApiNotFoundResponse({ description: 'no such person' })
  forcePasswordReset(
    @CurrentUser() actor: AuthUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: StandingReasonDto,
  ): Promise<MessageDto> {
    return this.accounts.forcePasswordReset(actor, userId, dto.reason);
  }
}
