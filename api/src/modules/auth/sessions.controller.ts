import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { EndedSessionsDto, SessionDto, StepUpDto } from './dto/sessions.dto';
import { SessionsService } from './sessions.service';

/** The signed-in person's sessions: where they are signed in, and signing devices out. */
@ApiTags('accounts')
@Authenticated()
@Controller('me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'The live sessions of the signed-in person, newest first (`current` marks this one)' })
  @ApiOkResponse({ type: [SessionDto] })
  list(@CurrentUser() user: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(user);
  }

  @Delete()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign out every other session (this one stays signed in)' })
  @ApiOkResponse({ type: EndedSessionsDto })
  async endOthers(@CurrentUser() user: AuthUser): Promise<EndedSessionsDto> {
    return { ended: await this.sessions.endOthers(user) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out one session (may be this one); its refresh token stops working and its access token with it' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'id is not a UUID' })
  @ApiNotFoundResponse({ description: 'no live session of yours has this id' })
  end(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.sessions.end(user, id);
  }
}

/** Step-up: proving the second factor again, for actions that need a recent one. */
@ApiTags('accounts')
@Authenticated()
@Controller('me/step-up')
export class StepUpController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Confirm it is you with a current authenticator code or a recovery code (used up): for STEP_UP_WINDOW_MINUTES this ' +
      'session may do the actions that answer 403 `step_up_required`',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'otp is neither 6 digits nor a recovery code' })
  @ApiUnauthorizedResponse({
    description: 'not signed in; or `reason: "mfa_invalid"`: a wrong, used or unknown code (counts towards the sign-in throttle)',
  })
  @ApiConflictResponse({
    description:
      '`reason: "no_second_factor"`: the account has none to prove; `reason: "totp_not_enabled"`: an app code for an account ' +
      'without TOTP (use a passkey or a recovery code)',
  })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts for this account' })
  stepUp(@CurrentUser() user: AuthUser, @Body() dto: StepUpDto): Promise<void> {
    return this.sessions.stepUp(user, dto.otp);
  }
}
