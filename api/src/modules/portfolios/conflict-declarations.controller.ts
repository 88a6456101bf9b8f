import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseEnumPipe,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import { ConflictDeclarationsService } from './conflict-declarations.service';
import {
  AdminConflictDeclarationDto,
  ConfirmConflictDto,
  ConflictDeclarationDto,
  ConflictDeclarationListDto,
  ConflictQueryDto,
  DeclareConflictDto,
  RejectConflictDto,
} from './dto/conflict-declaration.dto';
import { PORTFOLIO_CREDENTIALS, PortfolioCredential } from './dto/portfolio.dto';

const credentialPipe = new ParseEnumPipe(Object.fromEntries(PORTFOLIO_CREDENTIALS.map((c) => [c, c])), {
  exceptionFactory: () => new NotFoundException('Portfolios exist for CPAP and CPAA'),
});

@ApiTags('portfolios')
@Authenticated({ roles: ['candidate'] })
@Controller('portfolios/:credential/conflicts')
export class ConflictDeclarationsController {
  constructor(private readonly conflicts: ConflictDeclarationsService) {}

  @Get()
  @ApiOkResponse({ type: ConflictDeclarationListDto, description: 'the portfolio’s declarations and how many more may be made' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiForbiddenResponse({ description: 'not a candidate' })
  @ApiNotFoundResponse({ description: 'no portfolio for this credential yet (or not CPAP/CPAA)' })
  mine(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
  ): Promise<ConflictDeclarationListDto> {
    return this.conflicts.mine(user, credential);
  }

  @Post()
  @ApiCreatedResponse({ type: ConflictDeclarationDto, description: 'declared: pending until an administrator confirms or rejects it' })
  @ApiBadRequestResponse({
    description: 'kind, name, e-mail, domain or reason missing, invalid or too long; or CONFLICT_DECLARATIONS_MAX reached',
  })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiForbiddenResponse({ description: 'not a candidate' })
  @ApiNotFoundResponse({ description: 'no portfolio for this credential yet (or not CPAP/CPAA)' })
  declare(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
    @Body() dto: DeclareConflictDto,
  ): Promise<ConflictDeclarationDto> {
    return this.conflicts.declare(user, credential, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'withdrawn' })
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiForbiddenResponse({ description: 'not a candidate' })
  @ApiNotFoundResponse({ description: 'no such declaration of yours' })
  @ApiConflictResponse({ description: 'confirmed, rejected or withdrawn already, or a submission of the portfolio is being reviewed' })
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
    @Param('id', ParseUUIDPipe) id: string,
  ): Promise<void> {
    return this.conflicts.withdraw(user, credential, id);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/conflicts')
export class AdminConflictDeclarationsController {
  constructor(private readonly conflicts: ConflictDeclarationsService) {}

  @Get()
  @ApiOkResponse({
    type: [AdminConflictDeclarationDto],
    description: 'declarations with the candidate and the staff they match; pending (the default) oldest first, others newest first',
  })
  @ApiBadRequestResponse({ description: 'unknown status' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiForbiddenResponse({ description: 'not an administrator' })
  list(@Query() query: ConflictQueryDto): Promise<AdminConflictDeclarationDto[]> {
    return this.conflicts.list(query.status);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @RequiresStepUp("not an administrator; or reason 'not_independent': the declaration is yours or names you")
  @ApiOkResponse({ type: AdminConflictDeclarationDto, description: 'confirmed: the staff it matches (worked out again now) are excluded' })
  @ApiBadRequestResponse({ description: 'note too long' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiNotFoundResponse({ description: 'no such declaration' })
  @ApiConflictResponse({ description: 'confirmed, rejected or withdrawn already' })
  confirm(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ConfirmConflictDto,
  ): Promise<AdminConflictDeclarationDto> {
    return this.conflicts.confirm(actor, id, dto.note);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @RequiresStepUp("not an administrator; or reason 'not_independent': the declaration is yours or names you")
  @ApiOkResponse({ type: AdminConflictDeclarationDto, description: 'rejected: it excludes nobody; the candidate sees the note' })
  @ApiBadRequestResponse({ description: 'note missing or too long' })
  @ApiUnauthorizedResponse({ description: 'not signed in' })
  @ApiNotFoundResponse({ description: 'no such declaration' })
  @ApiConflictResponse({ description: 'confirmed, rejected or withdrawn already' })
  reject(
    @CurrentUser() actor: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectConflictDto,
  ): Promise<AdminConflictDeclarationDto> {
    return this.conflicts.reject(actor, id, dto.note);
  }
}
