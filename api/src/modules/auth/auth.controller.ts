import { Body, Controller, HttpCode, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { CookieOptions, Request, Response } from 'express';
import { Public } from '../../common/auth/authenticated.decorator';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { AuthService, type IssuedSession } from './auth.service';
import { AccessTokenDto, LoginDto, LoginResponseDto } from './dto/auth.dto';
import { DEVICE_COOKIE, SignInThrottle } from './sign-in-throttle';

export const REFRESH_COOKIE = 'psf_refresh';

@ApiTags('accounts')
@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: SignInThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    type: LoginResponseDto,
    description: 'also sets the HttpOnly refresh-token cookie and the signed, HttpOnly device cookie (psf_device)',
  })
  @ApiUnauthorizedResponse({
    description:
      'unknown email or wrong password (same message); for an account with TOTP or a passkey, `reason: "mfa_required"` ' +
      'without `otp` and `reason: "mfa_invalid"` for a wrong, used or unknown code (both count towards throttling), each with ' +
      '`methods`: the second factors that finish the sign-in (`["totp"]`, `["passkey"]` — then POST /api/auth/passkey, or a ' +
      'recovery code as `otp` — or `["totp", "passkey"]`)',
  })
  @ApiBadRequestResponse({ description: 'missing email or password, or an otp that is neither 6 digits nor a recovery code' })
  @ApiTooManyRequestsResponse({
    description:
      'throttled (`Retry-After` says how many seconds): past LOGIN_MAX_FAILURES_PER_ACCOUNT failures for the account (or ' +
      'LOGIN_MAX_FAILURES_PER_IP for the address) each failure doubles the wait before the next attempt; a browser holding the ' +
      'device cookie of an earlier sign-in to the account is judged on its own failures only',
  })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    const session = await this.auth.login(dto, {
      ip: req.ip ?? 'unknown',
      userAgent: req.get('user-agent'),
      deviceCookie: req.cookies?.[DEVICE_COOKIE],
    });
    setRefreshCookie(res, this.config, session);
    this.throttle.setDeviceCookie(res, session.deviceCookie);
    return session.body;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: AccessTokenDto, description: 'rotates the refresh-token cookie' })
  @ApiUnauthorizedResponse({
    description:
      'no, unknown or used refresh token, or the session has ended; `reason: "session_idle"` when a staff session was unused ' +
      'for longer than STAFF_IDLE_TIMEOUT_MINUTES, `reason: "session_expired"` past SESSION_MAX_AGE_DAYS from sign-in',
  })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccessTokenDto> {
    try {
      const session = await this.auth.refresh(req.cookies?.[REFRESH_COOKIE]);
      setRefreshCookie(res, this.config, session);
      return session.body;
    } catch (error) {
      // Only a refusal ends the session here: an outage (503) must leave the browser its cookie to retry with.
      if (error instanceof UnauthorizedException) clearRefreshCookie(res, this.config);
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(req.cookies?.[REFRESH_COOKIE]);
    clearRefreshCookie(res, this.config);
  }
}

function cookieOptions(config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: config.publicUrl.startsWith('https://'), path: '/api/auth' };
}

/** Sets the refresh cookie of a new or refreshed session (also for passkey sign-in); it never outlives the session. */
export function setRefreshCookie(res: Response, config: AppConfig, session: IssuedSession): void {
  const maxAge = Math.min(config.refreshTokenTtlDays * 86_400_000, session.sessionExpiresAt.getTime() - Date.now());
  res.cookie(REFRESH_COOKIE, session.refreshToken, { ...cookieOptions(config), maxAge: Math.max(0, maxAge) });
}

export function clearRefreshCookie(res: Response, config: AppConfig): void {
  res.clearCookie(REFRESH_COOKIE, cookieOptions(config));
}
