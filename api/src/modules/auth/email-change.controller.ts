import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated, Public } from '../../common/auth/authenticated.decorator';
import { MessageDto } from './accounts.dto';
import { ConfirmEmailChangeDto, RequestEmailChangeDto } from './email-change.dto';
import { EmailChangeService } from './email-change.service';

@ApiTags('accounts')
@Authenticated()
@Controller('me/email')
export class EmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: MessageDto,
    description: 'a link goes to the new address (or, if it has an account, a notice to its owner: the answer is the same)',
  })
  @ApiBadRequestResponse({ description: 'not an e-mail address, password missing, or the address is already yours' })
  @ApiUnauthorizedResponse({ description: 'not signed in, or the password is wrong' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong passwords (counted with failed sign-ins) or more than 5 requests an hour' })
  request(@CurrentUser() user: AuthUser, @Body() dto: RequestEmailChangeDto): Promise<MessageDto> {
    return this.emailChange.request(user, dto);
  }
}

@ApiTags('accounts')
@Public()
@Controller('auth')
export class ConfirmEmailChangeController {
  constructor(private readonly emailChange: EmailChangeService) {}

  @Post('confirm-email-change')
  @HttpCode(200)
  @ApiOkResponse({ type: MessageDto, description: 'the address is changed (and verified); every session of the account has ended' })
  @ApiBadRequestResponse({ description: 'invalid, expired or used token' })
  @ApiConflictResponse({ description: "the address was taken by another account meanwhile (reason 'email_taken')" })
  confirm(@Body() dto: ConfirmEmailChangeDto): Promise<MessageDto> {
    return this.emailChange.confirm(dto);
  }
}
