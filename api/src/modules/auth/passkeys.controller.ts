import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { setRefreshCookie } from './auth.controller';
import { LoginResponseDto } from './dto/auth.dto';
import {
  EnrolPasskeyDto,
  PasskeyAssertionDto,
  PasskeyCreationOptionsDto,
  PasskeyDto,
  PasskeyEnrolledDto,
  PasskeyRequestOptionsDto,
} from './dto/passkeys.dto';
import { PasskeySignInService } from './passkey-sign-in.service';
import { PasskeysService } from './passkeys.service';
import { DEVICE_COOKIE, SignInThrottle } from './sign-in-throttle';

const STEP_UP_NEEDED =
  '`reason: "step_up_required"`: the account already has a second factor and this session has not proven one in the last ' +
  'STEP_UP_WINDOW_MINUTES — step up (POST /api/me/step-up or the passkey step-up), then repeat';

/** The signed-in user's passkeys. Open to staff who have no second factor yet: a passkey enrols them. */
@ApiTags('accounts')
@Authenticated()
@Controller('me/second-factor/passkeys')
export class PasskeysController {
  constructor(private readonly passkeys: PasskeysService) {}

  @Get()
  @ApiOperation({ summary: 'My passkeys' })
  @ApiOkResponse({ type: [PasskeyDto] })
  list(@CurrentUser() user: AuthUser): Promise<PasskeyDto[]> {
    return this.passkeys.list(user);
  }

  @Post('options')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Creation options for a new passkey (discoverable, user verification required; my passkeys excluded); valid 5 minutes',
  })
  @ApiOkResponse({ type: PasskeyCreationOptionsDto })
  @ApiForbiddenResponse({ description: STEP_UP_NEEDED })
  registrationOptions(@CurrentUser() user: AuthUser): Promise<PasskeyCreationOptionsDto> {
    return this.passkeys.registrationOptions(user);
  }

  @Post()
  @ApiOperation({
    summary:
      "Add the passkey the browser created from the options; the account's first second factor also answers recovery codes (shown once)",
  })
  @ApiCreatedResponse({ type: PasskeyEnrolledDto })
  @ApiBadRequestResponse({ description: 'malformed answer, no matching unused challenge, or an answer that does not verify' })
  @ApiConflictResponse({ description: '`reason: "passkey_exists"`: this credential is registered already' })
  @ApiForbiddenResponse({ description: STEP_UP_NEEDED })
  enrol(@CurrentUser() user: AuthUser, @Body() dto: EnrolPasskeyDto): Promise<PasskeyEnrolledDto> {
    return this.passkeys.enrol(user, dto);
  }

  @Delete(':passkeyId')
  @HttpCode(204)
  @ApiOperation({ summary: "Remove one of my passkeys; a candidate's last second factor takes the recovery codes with it" })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such passkey of mine' })
  @ApiConflictResponse({ description: '`reason: "last_second_factor"`: a staff account must keep a second factor' })
  @ApiForbiddenResponse({ description: STEP_UP_NEEDED })
  remove(@CurrentUser() user: AuthUser, @Param('passkeyId', ParseUUIDPipe) passkeyId: string): Promise<void> {
    return this.passkeys.remove(user, passkeyId);
  }
}

/** Signing in with a passkey alone (it proves possession and, by user verification, a PIN or biometric). */
@ApiTags('accounts')
@Public()
@Controller('auth/passkey')
export class PasskeySignInController {
  constructor(
    private readonly passkeys: PasskeySignInService,
    private readonly throttle: SignInThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('options')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Request options for a passkey sign-in (no allowCredentials: the browser offers its passkeys), and the challenge id',
  })
  @ApiOkResponse({ type: PasskeyRequestOptionsDto })
  @ApiTooManyRequestsResponse({ description: 'too many failed sign-ins from this address' })
  options(@Req() req: Request): Promise<PasskeyRequestOptionsDto> {
    return this.passkeys.signInOptions(req.ip ?? 'unknown');
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with the passkey answer: the same answer as a password login' })
  @ApiOkResponse({ type: LoginResponseDto, description: 'also sets the HttpOnly refresh-token cookie and the device cookie (psf_device)' })
  @ApiBadRequestResponse({ description: 'malformed answer' })
  @ApiUnauthorizedResponse({
    description:
      'unknown passkey, bad signature, expired or used challenge, or a cloned authenticator (one message; counts towards throttling)',
  })
  @ApiTooManyRequestsResponse({ description: 'too many failed sign-ins from this address' })
  async signIn(
    @Body() dto: PasskeyAssertionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponseDto> {
    const session = await this.passkeys.signIn(dto, {
      ip: req.ip ?? 'unknown',
      userAgent: req.get('user-agent'),
      deviceCookie: req.cookies?.[DEVICE_COOKIE],
    });
    setRefreshCookie(res, this.config, session);
    this.throttle.setDeviceCookie(res, session.deviceCookie);
    return session.body;
  }
}

/** Step-up with a passkey: the session proves a second factor again before actions that change a person's standing. */
@ApiTags('accounts')
@Authenticated()
@Controller('me/step-up/passkey')
export class PasskeyStepUpController {
  constructor(private readonly passkeys: PasskeySignInService) {}

  @Post('options')
  @HttpCode(200)
  @ApiOperation({ summary: 'Request options for a step-up, limited to my passkeys, and the challenge id' })
  @ApiOkResponse({ type: PasskeyRequestOptionsDto })
  @ApiConflictResponse({ description: '`reason: "no_passkey"`: the account has no passkey' })
  options(@CurrentUser() user: AuthUser): Promise<PasskeyRequestOptionsDto> {
    return this.passkeys.stepUpOptions(user);
  }

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: 'Step up with one of my passkeys: the session counts as having proven a second factor just now' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'malformed answer' })
  @ApiUnauthorizedResponse({
    description:
      'not signed in; or `reason: "mfa_invalid"`: expired or used challenge, another account\'s passkey, or an answer that does not verify',
  })
  @ApiTooManyRequestsResponse({ description: "too many failed step-ups (wrong codes or refused passkeys) in this account's sessions" })
  stepUp(@CurrentUser() user: AuthUser, @Body() dto: PasskeyAssertionDto): Promise<void> {
    return this.passkeys.stepUp(user, dto);
  }
}
