import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import { NoStore } from '../../common/http/no-store';
import {
  AccommodationDto,
  AccommodationResultDto,
  AccommodationStateDto,
  AdminAttemptsPageDto,
  AdminAttemptsQueryDto,
  AttemptDto,
  AttemptSummaryDto,
  ExamInfoDto,
  ExamSettingsDto,
  SaveAnswerDto,
  SavedAnswerDto,
  UpdateExamSettingsDto,
} from './dto/exam.dto';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { ExamSettingsService } from './exam-settings.service';
import { ExamsService } from './exams.service';
import { AuditRead } from '../audit/audit-read';
import { CsvExport } from '../../common/lists/csv-export';

const uuid = new ParseUUIDPipe();

@ApiTags('AIDA examination')
@Authenticated({ roles: ['candidate'] })
@NoStore()
@Controller('exams/aida')
export class ExamsController {
  constructor(private readonly exams: ExamsService) {}

  @Get()
  @ApiOkResponse({ type: ExamInfoDto })
  info(@CurrentUser() user: AuthUser): Promise<ExamInfoDto> {
    return this.exams.examInfo(user);
  }

  @Post('attempts')
  @ApiCreatedResponse({ type: AttemptDto })
  @ApiConflictResponse({ description: 'an attempt is in progress ({attemptId}) or the cool-down runs ({retryAfter})' })
  @ApiForbiddenResponse({ description: "reason 'email_unverified': the account's e-mail address is not confirmed yet" })
  start(@CurrentUser() user: AuthUser): Promise<AttemptDto> {
    return this.exams.startAttempt(user);
  }

  @Get('attempts')
  @ApiOkResponse({ type: [AttemptSummaryDto] })
  list(@CurrentUser() user: AuthUser): Promise<AttemptSummaryDto[]> {
    return this.exams.listAttempts(user);
  }

  @Get('attempts/:attemptId')
  @ApiOkResponse({ type: AttemptDto })
  get(@CurrentUser() user: AuthUser, @Param('attemptId', uuid) attemptId: string): Promise<AttemptDto> {
    return this.exams.getAttempt(user, attemptId);
  }

  @Put('attempts/:attemptId/answers/:questionId')
  @ApiOkResponse({ type: SavedAnswerDto })
  @ApiConflictResponse({ description: 'the attempt is submitted or past its deadline' })
  save(
    @CurrentUser() user: AuthUser,
    @Param('attemptId', uuid) attemptId: string,
    @Param('questionId', uuid) questionId: string,
    @Body() dto: SaveAnswerDto,
  ): Promise<SavedAnswerDto> {
    return this.exams.saveAnswer(user, attemptId, questionId, dto);
  }

  @Post('attempts/:attemptId/submit')
  @HttpCode(200)
  @ApiOkResponse({ type: AttemptDto })
  submit(@CurrentUser() user: AuthUser, @Param('attemptId', uuid) attemptId: string): Promise<AttemptDto> {
    return this.exams.submit(user, attemptId);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin')
export class AdminExamsController {
  constructor(private readonly exams: ExamSettingsService) {}

  @Get('exams/aida')
  @ApiOkResponse({ type: ExamSettingsDto })
  settings(): Promise<ExamSettingsDto> {
    return this.exams.settings();
  }

  @Patch('exams/aida')
  @ApiOkResponse({ type: ExamSettingsDto })
  @ApiConflictResponse({ description: "reason 'stale_settings': the settings changed since expectedRevision; nothing was saved" })
  updateSettings(@CurrentUser() actor: AuthUser, @Body() dto: UpdateExamSettingsDto): Promise<ExamSettingsDto> {
    return this.exams.updateSettings(actor, dto);
  }

  @Get('exams/aida/attempts')
  @AuditRead({ action: 'exam.attempts_listed', subjectType: 'attempt' })
  @ApiOkResponse({ type: AdminAttemptsPageDto, description: 'one page of AIDA attempts, latest first unless sorted otherwise' })
  @ApiBadRequestResponse({
    description: 'an unknown status, result or sort, a day not written YYYY-MM-DD, from after to, a page below 1 or a page size above 500',
  })
  attempts(@Query() query: AdminAttemptsQueryDto): Promise<AdminAttemptsPageDto> {
    return this.exams.searchAttempts(query);
  }

  @Get('exams/aida/attempts/export.csv')
  @AuditRead({ action: 'exam.attempts_exported', subjectType: 'attempt' })
  @CsvExport('aida-attempts.csv', 'the attempts the same filters find, in the same order')
  exportAttempts(@Query() query: AdminAttemptsQueryDto): Promise<string> {
    return this.exams.exportAttempts(query);
  }

  @Get('users/:userId/accommodations')
  @AuditRead({ action: 'exam.accommodation_viewed', subjectType: 'user', subjectParam: 'userId' })
  @ApiOkResponse({ type: AccommodationStateDto, description: "the candidate's time multiplier (1.0 when none was set)" })
  @ApiNotFoundResponse({ description: 'no such account' })
  accommodation(@Param('userId', uuid) userId: string): Promise<AccommodationStateDto> {
    return this.exams.accommodation(userId);
  }

  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC}`)
  @Put('users/:userId/accommodations')
  @ApiOkResponse({ type: AccommodationResultDto })
  accommodate(
    @CurrentUser() actor: AuthUser,
    @Param('userId', uuid) userId: string,
    @Body() dto: AccommodationDto,
  ): Promise<AccommodationResultDto> {
    return this.exams.setAccommodation(actor, userId, dto.timeMultiplier);
  }
}
