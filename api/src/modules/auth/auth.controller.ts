import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
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
import { AuthService } from './auth.service';
import { AccessTokenDto, LoginDto, LoginResponseDto } from './dto/auth.dto';

export const REFRESH_COOKIE = 'psf_refresh';

@ApiTags('accounts')
@Public()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto, description: 'also sets the HttpOnly refresh-token cookie' })
  @ApiUnauthorizedResponse({
    description:
      'unknown email or wrong password (same message); for an account with TOTP, `reason: "mfa_required"` ' +
      'without `otp` and `reason: "mfa_invalid"` for a wrong, used or unknown code (both count towards throttling)',
  })
  @ApiBadRequestResponse({ description: 'missing email or password, or an otp that is neither 6 digits nor a recovery code' })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts for this account or address' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResponseDto> {
    const session = await this.auth.login(dto, req.ip ?? 'unknown');
    res.cookie(REFRESH_COOKIE, session.refreshToken, this.cookieOptions());
    return session.body;
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: AccessTokenDto, description: 'rotates the refresh-token cookie' })
  @ApiUnauthorizedResponse()
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AccessTokenDto> {
    try {
      const session = await this.auth.refresh(req.cookies?.[REFRESH_COOKIE]);
      res.cookie(REFRESH_COOKIE, session.refreshToken, this.cookieOptions());
      return session.body;
    } catch (error) {
      res.clearCookie(REFRESH_COOKIE, { ...this.cookieOptions(), maxAge: undefined });
      throw error;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(req.cookies?.[REFRESH_COOKIE]);
    res.clearCookie(REFRESH_COOKIE, { ...this.cookieOptions(), maxAge: undefined });
  }

  private cookieOptions(): CookieOptions {
    return {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.config.publicUrl.startsWith('https://'),
      path: '/api/auth',
      maxAge: this.config.refreshTokenTtlDays * 86_400_000,
    };
  }
}
