import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { AccountDeletionService } from './account-deletion.service';
import { DataExportService } from './data-export.service';
import { AccountDeletedDto, DataExportDto, DeleteAccountDto, DownloadQueryDto, OpenWorkDto } from './dto/data-rights.dto';

@ApiTags('data rights')
@Authenticated()
@ApiUnauthorizedResponse({ description: 'not signed in' })
@Controller('me')
export class DataRightsController {
  constructor(
    private readonly exports: DataExportService,
    private readonly deletion: AccountDeletionService,
  ) {}

  @Post('data-export')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: DataExportDto, description: 'queued: a job builds the zip and e-mails a link to it' })
  @ApiConflictResponse({ description: '`reason: "export_in_progress"`: an export is being built already' })
  @ApiTooManyRequestsResponse({ description: 'one export an hour (Retry-After)' })
  requestExport(@CurrentUser() user: AuthUser): Promise<DataExportDto> {
    return this.exports.request(user);
  }

  @Get('data-export')
  @ApiOkResponse({ type: [DataExportDto], description: 'my latest exports, newest first' })
  exportsOf(@CurrentUser() user: AuthUser): Promise<DataExportDto[]> {
    return this.exports.list(user);
  }

  @Get('data-export/:id')
  @ApiOkResponse({ type: DataExportDto })
  @ApiBadRequestResponse({ description: 'not a uuid' })
  @ApiNotFoundResponse({ description: 'no such export of mine' })
  exportById(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DataExportDto> {
    return this.exports.get(user, id);
  }

  @Get('data-export/:id/download')
  @ApiProduces('application/zip')
  @ApiOkResponse({ description: 'the zip: data.json, attachments, certificates (PDF and signed credential), stored mail' })
  @ApiBadRequestResponse({ description: 'no token, or an id that is not a uuid' })
  @ApiNotFoundResponse({ description: 'not my export, not ready, or the token is not the e-mailed one (the same answer for each)' })
  @ApiGoneResponse({ description: '`reason: "export_expired"`: the link has expired (DATA_EXPORT_TTL_HOURS) and the file is deleted' })
  async download(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: DownloadQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { data, fileName } = await this.exports.download(user, id, query.token);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(data);
  }

  @Post('deletion')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AccountDeletedDto,
    description: 'the account is erased and pseudonymised at once, every session ended; its files leave storage right after (a job)',
  })
  @ApiBadRequestResponse({ description: 'no password, or confirm is not the word DELETE' })
  @ApiUnauthorizedResponse({ description: 'not signed in, or `reason: "wrong_password"` (counted with failed sign-ins)' })
  @ApiForbiddenResponse({
    description:
      '`reason: "step_up_required"`: the account has a second factor and this session has not proven it in the last STEP_UP_WINDOW_MINUTES',
  })
  @ApiConflictResponse({
    type: OpenWorkDto,
    description: '`reason: "open_work"`: a portfolio of mine is being reviewed; `reason: "last_admin"`: I am the only administrator',
  })
  @ApiTooManyRequestsResponse({ description: 'too many wrong passwords (Retry-After)' })
  deleteAccount(@CurrentUser() user: AuthUser, @Body() dto: DeleteAccountDto): Promise<AccountDeletedDto> {
    return this.deletion.delete(user, dto);
  }
}
