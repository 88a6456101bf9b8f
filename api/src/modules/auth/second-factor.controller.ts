import { Body, Controller, Delete, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { ConfirmTotpDto, RecoveryCodesDto, SecondFactorCodeDto, TotpEnrolmentDto } from './dto/second-factor.dto';
import { SecondFactorService } from './second-factor.service';

/** The signed-in user's second factor. Open to staff who have none yet: this is where they enrol. */
@ApiTags('accounts')
@Authenticated()
@Controller('me/second-factor')
export class SecondFactorController {
  constructor(private readonly secondFactor: SecondFactorService) {}

  @Post('totp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start (or restart) a TOTP enrolment: a new secret, not in force until confirmed' })
  @ApiOkResponse({ type: TotpEnrolmentDto })
  @ApiConflictResponse({ description: 'TOTP is already on' })
  startTotp(@CurrentUser() user: AuthUser): Promise<TotpEnrolmentDto> {
    return this.secondFactor.startTotp(user);
  }

  @Post('totp/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the enrolment with a current code: TOTP is on; answers the recovery codes (shown once)' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ description: 'not a 6-digit code, a wrong code, or no enrolment started' })
  @ApiConflictResponse({ description: 'TOTP is already on' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong codes for this account' })
  confirmTotp(@CurrentUser() user: AuthUser, @Body() dto: ConfirmTotpDto): Promise<RecoveryCodesDto> {
    return this.secondFactor.confirmTotp(user, dto.code);
  }

  @Delete('totp')
  @HttpCode(204)
  @ApiOperation({
    summary:
      'Turn TOTP off (candidates, or staff who keep a passkey), with a current code or a recovery code; the recovery codes go too unless a passkey remains',
  })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'malformed or wrong code' })
  @ApiConflictResponse({ description: 'a staff account (admin, reviewer) must keep a second factor, or TOTP is not on' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong codes for this account' })
  disableTotp(@CurrentUser() user: AuthUser, @Body() dto: SecondFactorCodeDto): Promise<void> {
    return this.secondFactor.disableTotp(user, dto.code);
  }

  @Post('recovery-codes')
  @HttpCode(200)
  @ApiOperation({ summary: 'Replace the recovery codes, with a current code or a recovery code (shown once)' })
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ description: 'malformed or wrong code' })
  @ApiConflictResponse({ description: 'TOTP is not on' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong codes for this account' })
  replaceRecoveryCodes(@CurrentUser() user: AuthUser, @Body() dto: SecondFactorCodeDto): Promise<RecoveryCodesDto> {
    return this.secondFactor.replaceRecoveryCodesFor(user, dto.code);
  }
}
