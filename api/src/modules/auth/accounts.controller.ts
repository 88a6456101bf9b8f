import { Body, Controller, HttpCode, Post, Put, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { RateLimit } from '../../common/rate-limit/rate-limit.guard';
import { ChangePasswordDto, EmailOnlyDto, MessageDto, ResetPasswordDto, VerifyEmailDto } from './accounts.dto';
import { AccountsService } from './accounts.service';
import { RegisterDto } from './dto/auth.dto';

const ipOf = (req: Request) => req.ip ?? 'unknown';
const LIMITED = 'too many requests from this address or for this e-mail address (Retry-After)';

@ApiTags('accounts')
@Public()
@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('register')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MessageDto, description: 'the same answer for a new address and a taken one (its owner is e-mailed)' })
  @ApiBadRequestResponse({ description: 'invalid email, missing name, or a password that is short, breached or personal' })
  @ApiTooManyRequestsResponse({
    description:
      'too many registrations per hour from this client address (REGISTER_MAX_PER_IP_PER_HOUR, default 10), or the server is ' +
      'hashing as many passwords as it can take (PASSWORD_HASH_QUEUE); Retry-After',
  })
  register(@Body() dto: RegisterDto, @Req() req: Request): Promise<MessageDto> {
    return this.accounts.register(dto, ipOf(req));
  }

  @Post('verify-email')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageDto, description: 'the address is confirmed' })
  @ApiBadRequestResponse({ description: 'invalid, expired or used token' })
  verifyEmail(@Body() dto: VerifyEmailDto): Promise<MessageDto> {
    return this.accounts.verifyEmail(dto.token);
  }

  @Post('resend-verification')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MessageDto, description: 'always, whether or not the address has an account to confirm' })
  @ApiBadRequestResponse({ description: 'not an e-mail address' })
  @ApiTooManyRequestsResponse({ description: `${LIMITED}: 3 per hour per address, 20 per hour per client address` })
  resendVerification(@Body() dto: EmailOnlyDto, @Req() req: Request): Promise<MessageDto> {
    return this.accounts.resendVerification(dto.email, ipOf(req));
  }

  @Post('forgot-password')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: MessageDto, description: 'always, whether or not the address has an account' })
  @ApiBadRequestResponse({ description: 'not an e-mail address' })
  @ApiTooManyRequestsResponse({ description: `${LIMITED}: 3 per hour per address, 20 per hour per client address` })
  forgotPassword(@Body() dto: EmailOnlyDto, @Req() req: Request): Promise<MessageDto> {
    return this.accounts.forgotPassword(dto.email, ipOf(req));
  }

  @RateLimit({ limit: 'resetPassword', bucket: 'reset-password', per: 'address', what: 'password reset attempts from your address' })
  @Post('reset-password')
  @HttpCode(200)
  @ApiOkResponse({
    type: MessageDto,
    description: 'the password is changed, every session of the account has ended, and an unconfirmed address is confirmed',
  })
  @ApiBadRequestResponse({ description: 'invalid, expired or used token, or a password that is short, breached or personal' })
  resetPassword(@Body() dto: ResetPasswordDto): Promise<MessageDto> {
    return this.accounts.resetPassword(dto);
  }
}

@ApiTags('accounts')
@Authenticated()
@Controller('me')
export class PasswordController {
  constructor(private readonly accounts: AccountsService) {}

  @Put('password')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'changed; every other session of the account has ended, this one stays' })
  @ApiBadRequestResponse({ description: 'a new password that is short, breached, personal or the same as the current one' })
  @ApiUnauthorizedResponse({ description: 'not signed in, or the current password is wrong' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong current passwords (counted with failed sign-ins)' })
  changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto): Promise<void> {
    return this.accounts.changePassword(user, dto);
  }
}
