import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../../common/auth/auth-user';
import { Authenticated } from '../../../common/auth/authenticated.decorator';
import { NoStore } from '../../../common/http/no-store';
import { AdoptCutDto, CreateStudyDto, RaterStudyDto, RaterStudySummaryDto, SaveRatingsDto, StudyDto } from './dto/standard-setting.dto';
import { StandardSettingRatersService } from './standard-setting-raters.service';
import { StandardSettingService } from './standard-setting.service';

const uuid = new ParseUUIDPipe();

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@NoStore()
@Controller('admin/exams/aida/standard-setting')
export class StandardSettingAdminController {
  constructor(private readonly studies: StandardSettingService) {}

  @Post()
  @ApiCreatedResponse({ type: StudyDto, description: 'a study on the active pool, with its raters invited' })
  open(@CurrentUser() actor: AuthUser, @Body() dto: CreateStudyDto): Promise<StudyDto> {
    return this.studies.open(actor, dto);
  }

  @Get()
  @ApiOkResponse({ type: [StudyDto] })
  list(): Promise<StudyDto[]> {
    return this.studies.list();
  }

  @Get(':studyId')
  @ApiOkResponse({ type: StudyDto })
  @ApiNotFoundResponse()
  get(@Param('studyId', uuid) studyId: string): Promise<StudyDto> {
    return this.studies.get(studyId);
  }

  @Post(':studyId/round2')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto })
  @ApiConflictResponse({ description: 'round 1 is not complete, or the study is not in round 1' })
  openRound2(@CurrentUser() actor: AuthUser, @Param('studyId', uuid) studyId: string): Promise<StudyDto> {
    return this.studies.openRound2(actor, studyId);
  }

  @Post(':studyId/close')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto, description: 'closed, with the recommended cut' })
  @ApiConflictResponse({ description: 'not in round 2, or no rater rated every item' })
  close(@CurrentUser() actor: AuthUser, @Param('studyId', uuid) studyId: string): Promise<StudyDto> {
    return this.studies.close(actor, studyId);
  }

  @Post(':studyId/adopt')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto, description: 'adopted: a new exam window with the recommended cut' })
  @ApiConflictResponse({ description: 'the study is not closed' })
  adopt(@CurrentUser() actor: AuthUser, @Param('studyId', uuid) studyId: string, @Body() dto: AdoptCutDto): Promise<StudyDto> {
    return this.studies.adopt(actor, studyId, dto);
  }

  @Post(':studyId/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: StudyDto })
  @ApiConflictResponse({ description: 'already adopted or cancelled' })
  cancel(@CurrentUser() actor: AuthUser, @Param('studyId', uuid) studyId: string): Promise<StudyDto> {
    return this.studies.cancel(actor, studyId);
  }
}

@ApiTags('standard setting')
@Authenticated({ roles: ['reviewer'] })
@NoStore()
@Controller('standard-setting')
export class StandardSettingRaterController {
  constructor(private readonly studies: StandardSettingRatersService) {}

  @Get()
  @ApiOkResponse({ type: [RaterStudySummaryDto], description: 'studies I am invited to rate' })
  mine(@CurrentUser() rater: AuthUser): Promise<RaterStudySummaryDto[]> {
    return this.studies.myStudies(rater);
  }

  @Get(':studyId')
  @ApiOkResponse({ type: RaterStudyDto })
  @ApiNotFoundResponse({ description: 'no such study, or not invited' })
  get(@CurrentUser() rater: AuthUser, @Param('studyId', uuid) studyId: string): Promise<RaterStudyDto> {
    return this.studies.forRater(rater, studyId);
  }

  @Put(':studyId/ratings')
  @ApiOkResponse({ type: RaterStudySummaryDto })
  @ApiConflictResponse({ description: 'no round is open for rating' })
  rate(
    @CurrentUser() rater: AuthUser,
    @Param('studyId', uuid) studyId: string,
    @Body() dto: SaveRatingsDto,
  ): Promise<RaterStudySummaryDto> {
    return this.studies.rate(rater, studyId, dto);
  }
}
