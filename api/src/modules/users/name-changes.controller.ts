import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import {
  AdminNameChangeDto,
  ApproveNameChangeDto,
  MyNameChangeDto,
  NameChangeDto,
  NameChangeQueryDto,
  RefuseNameChangeDto,
  RequestNameChangeDto,
} from './dto/name-change.dto';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { NameChangesService } from './name-changes.service';

@ApiTags('accounts')
@Authenticated()
@Controller('me/name-change')
export class MyNameChangeController {
  constructor(private readonly nameChanges: NameChangesService) {}

  @Get()
  @ApiOkResponse({ type: MyNameChangeDto, description: 'the current name and the latest request (null when there has been none)' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  mine(@CurrentUser() user: AuthUser): Promise<MyNameChangeDto> {
    return this.nameChanges.mine(user);
  }

  @Post()
  @ApiCreatedResponse({ type: NameChangeDto, description: 'the request waits for an administrator' })
  @ApiBadRequestResponse({ description: 'name or reason missing or too long, or the name is the current one' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiConflictResponse({ description: "a request is pending already (reason 'name_change_pending')" })
  request(@CurrentUser() user: AuthUser, @Body() dto: RequestNameChangeDto): Promise<NameChangeDto> {
    return this.nameChanges.request(user, dto);
  }

  @Delete()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the pending request is cancelled' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiNotFoundResponse({ description: 'no request is pending' })
  cancel(@CurrentUser() user: AuthUser): Promise<void> {
    return this.nameChanges.cancel(user);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/name-changes')
export class AdminNameChangesController {
  constructor(private readonly nameChanges: NameChangesService) {}

  @Get()
  @ApiOkResponse({ type: [AdminNameChangeDto], description: 'pending: oldest first; otherwise newest first' })
  @ApiBadRequestResponse({ description: 'unknown status' })
  list(@Query() query: NameChangeQueryDto): Promise<AdminNameChangeDto[]> {
    return this.nameChanges.list(query.status);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own request included)`)
  @ApiOkResponse({ type: AdminNameChangeDto, description: 'approved: the name changes and active certificates are re-issued under it' })
  @ApiBadRequestResponse({ description: 'note too long' })
  @ApiNotFoundResponse({ description: 'no such request' })
  @ApiConflictResponse({ description: 'decided or cancelled already' })
  approve(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveNameChangeDto,
  ): Promise<AdminNameChangeDto> {
    return this.nameChanges.approve(actor, id, dto.note);
  }

  @Post(':id/refuse')
  @HttpCode(200)
  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own request included)`)
  @ApiOkResponse({ type: AdminNameChangeDto, description: 'refused; the candidate is told why' })
  @ApiBadRequestResponse({ description: 'note missing or too long' })
  @ApiNotFoundResponse({ description: 'no such request' })
  @ApiConflictResponse({ description: 'decided or cancelled already' })
  refuse(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RefuseNameChangeDto,
  ): Promise<AdminNameChangeDto> {
    return this.nameChanges.refuse(actor, id, dto.note);
  }
}
