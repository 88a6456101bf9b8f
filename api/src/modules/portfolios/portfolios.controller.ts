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
  Put,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { MultipartBody, type MultipartLimits, StreamedUpload } from '../../common/http/streamed-upload';
import { RateLimit } from '../../common/rate-limit/rate-limit.guard';
import {
  AppealDto,
  AppealInputDto,
  AttachmentDto,
  DeploymentContextDto,
  EvidenceNarrativeDto,
  FeedbackDto,
  PORTFOLIO_CREDENTIALS,
  PortfolioCredential,
  PortfolioDto,
  PortfolioOverviewDto,
  SubmissionContentDto,
  SubmissionSummaryDto,
} from './dto/portfolio.dto';
import { PortfolioSubmissionsService } from './portfolio-submissions.service';
import { PortfoliosService } from './portfolios.service';
import { AuditRead } from '../audit/audit-read';

const credentialPipe = new ParseEnumPipe(Object.fromEntries(PORTFOLIO_CREDENTIALS.map((c) => [c, c])), {
  exceptionFactory: () => new NotFoundException('Portfolios exist for CPAP and CPAA'),
});
// One file and a handful of small fields: a body with thousands of fields or parts is refused (400) as it streams in.
// The file's own limit (MAX_ATTACHMENT_MB) is the service's, checked against the declared length and then while it streams.
const UPLOAD_LIMITS: MultipartLimits = { fields: 10, parts: 12, fieldSize: 16_384, fieldNameSize: 100 };

@ApiTags('portfolios')
@Authenticated({ roles: ['candidate'] })
@Controller('portfolios')
export class PortfoliosController {
  constructor(
    private readonly portfolios: PortfoliosService,
    private readonly submissions: PortfolioSubmissionsService,
  ) {}

  @Get('submissions/:submissionId/content')
  @ApiOkResponse({ type: SubmissionContentDto, description: 'your submitted version as it was frozen, with the id of the one before it' })
  @ApiNotFoundResponse({ description: 'no submission of yours has this id' })
  content(@CurrentUser() user: AuthUser, @Param('submissionId', ParseUUIDPipe) submissionId: string): Promise<SubmissionContentDto> {
    return this.submissions.content(user, submissionId);
  }

  @Get('submissions/:submissionId/feedback')
  @ApiOkResponse({
    type: FeedbackDto,
    description: 'decision, consolidated scores and comments per criterion and domain, without reviewer identities',
  })
  feedback(@CurrentUser() user: AuthUser, @Param('submissionId', ParseUUIDPipe) submissionId: string) {
    return this.submissions.feedback(user, submissionId);
  }

  @Post('submissions/:submissionId/appeal')
  @HttpCode(201)
  @ApiCreatedResponse({ type: AppealDto })
  appeal(@CurrentUser() user: AuthUser, @Param('submissionId', ParseUUIDPipe) submissionId: string, @Body() dto: AppealInputDto) {
    return this.submissions.appeal(user, submissionId, dto.grounds);
  }

  @Get()
  @ApiOkResponse({ type: [PortfolioOverviewDto], description: 'where you stand with each portfolio; opens no draft' })
  overview(@CurrentUser() user: AuthUser): Promise<PortfolioOverviewDto[]> {
    return this.portfolios.overview(user);
  }

  @Get(':credential')
  @ApiOkResponse({ type: PortfolioDto })
  draft(@CurrentUser() user: AuthUser, @Param('credential', credentialPipe) credential: PortfolioCredential): Promise<PortfolioDto> {
    return this.portfolios.draft(user, credential);
  }

  @Put(':credential/context')
  @ApiOkResponse({ type: PortfolioDto })
  context(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
    @Body() dto: DeploymentContextDto,
  ): Promise<PortfolioDto> {
    return this.portfolios.saveContext(user, credential, dto);
  }

  @Put(':credential/evidence/:criterion')
  @ApiOkResponse({ type: PortfolioDto })
  narrative(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
    @Param('criterion') criterion: string,
    @Body() dto: EvidenceNarrativeDto,
  ): Promise<PortfolioDto> {
    return this.portfolios.saveNarrative(user, credential, criterion, dto.narrative);
  }

  @Post(':credential/evidence/:criterion/attachments')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } })
  @ApiCreatedResponse({ type: AttachmentDto })
  @ApiBadRequestResponse({
    description:
      'no file, a refused file type, a malformed multipart body (more than one file, too many fields or parts, an oversized ' +
      'field), or the portfolio already lists MAX_ATTACHMENTS_PER_PORTFOLIO attachments',
  })
  @ApiPayloadTooLargeResponse({
    description:
      'the file is over MAX_ATTACHMENT_MB, or would take the portfolio over MAX_PORTFOLIO_MB (judged from the declared ' +
      'Content-Length before the body is read when that already tells, else as the file streams in)',
  })
  @RateLimit({ limit: 'uploads', bucket: 'uploads', per: 'user', what: 'uploads' })
  attach(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
    @Param('criterion') criterion: string,
    @MultipartBody(UPLOAD_LIMITS) upload: StreamedUpload,
  ): Promise<AttachmentDto> {
    return this.portfolios.addAttachment(user, credential, criterion, upload);
  }

  @Post(':credential/submit')
  @HttpCode(201)
  @ApiCreatedResponse({ type: SubmissionSummaryDto })
  @ApiForbiddenResponse({ description: "reason 'email_unverified': the account's e-mail address is not confirmed yet" })
  submit(
    @CurrentUser() user: AuthUser,
    @Param('credential', credentialPipe) credential: PortfolioCredential,
  ): Promise<SubmissionSummaryDto> {
    return this.submissions.submit(user, credential);
  }
}

@ApiTags('portfolios')
@Authenticated()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly portfolios: PortfoliosService) {}

  /** Always a download, never rendered inline; the type is the one detected at upload. */
  @Get(':attachmentId')
  @AuditRead({ action: 'attachment.viewed', subjectType: 'attachment', subjectParam: 'attachmentId' })
  @ApiOkResponse({ description: 'the file, as an attachment download' })
  async download(
    @CurrentUser() user: AuthUser,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const { data, row } = await this.portfolios.download(user, attachmentId);
    res.setHeader('Content-Type', row.mediaType);
    res.setHeader('Content-Disposition', `attachment; filename="${row.fileName.replace(/[^\w.\- ]/g, '_')}"`);
    res.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    res.setHeader('Cache-Control', 'private, no-store');
    return new StreamableFile(data);
  }

  @Delete(':attachmentId')
  @HttpCode(204)
  remove(@CurrentUser() user: AuthUser, @Param('attachmentId', ParseUUIDPipe) attachmentId: string): Promise<void> {
    return this.portfolios.removeAttachment(user, attachmentId);
  }
}
