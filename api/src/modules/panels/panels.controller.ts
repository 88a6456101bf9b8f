import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CsvExport } from '../../common/lists/csv-export';
import { AuditRead } from '../audit/audit-read';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp } from '../../common/auth/step-up';
import {
  AdminBookingDto,
  AdminBookingsPageDto,
  AdminBookingsQueryDto,
  AdminCancelBookingDto,
  AssessorRoleDto,
  AssessorRowDto,
  AvailabilityDto,
  AvailabilityInputDto,
  BookSlotDto,
  CalendarDto,
  CandidatePanelDto,
  GuideDto,
  JoinWaitlistDto,
  LongWaitListDto,
  NoShowDto,
  PanelDecisionInputDto,
  PanelDetailDto,
  PanelScoreDraftDto,
  PanelSettingsDto,
  PanelSummaryDto,
  SavedPanelScoreDraftDto,
  SlotListDto,
  SubmitScoresDto,
  WithdrawFromPanelDto,
  WithdrawResultDto,
} from './dto/panel.dto';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { AssessorAvailabilityService } from './assessor-availability.service';
import { CandidatePanelsService } from './candidate-panels.service';
import { PanelAdminService } from './panel-admin.service';
import { PanelAssignmentsService } from './panel-assignments.service';
import { PanelBookingsService } from './panel-bookings.service';
import { PanelDecisionsService } from './panel-decisions.service';
import { PanelWaitAlertsService } from './panel-wait-alerts.service';

@ApiTags('panels')
@Authenticated({ roles: ['candidate'] })
@Controller('panels/me')
export class CandidatePanelsController {
  constructor(private readonly panels: CandidatePanelsService) {}

  @Get()
  @ApiOkResponse({ type: CandidatePanelDto })
  mine(@CurrentUser() user: AuthUser): Promise<CandidatePanelDto> {
    return this.panels.mine(user);
  }

  @Get('slots')
  @ApiQuery({ name: 'timeZone', required: false, example: 'Europe/Berlin' })
  @ApiOkResponse({ type: SlotListDto })
  @ApiNotFoundResponse({ description: 'no panel interview to book' })
  slots(@CurrentUser() user: AuthUser, @Query('timeZone') timeZone?: string): Promise<SlotListDto> {
    return this.panels.slots(user, timeZone);
  }

  @Post('booking')
  @ApiCreatedResponse({ type: CandidatePanelDto })
  @ApiNotFoundResponse({ description: 'no panel interview to book' })
  @ApiConflictResponse({ description: 'the slot is no longer free, or a booking already exists' })
  @ApiForbiddenResponse({ description: "reason 'email_unverified': the account's e-mail address is not confirmed yet" })
  book(@CurrentUser() user: AuthUser, @Body() dto: BookSlotDto): Promise<CandidatePanelDto> {
    return this.panels.book(user, dto);
  }

  @Put('booking')
  @ApiOkResponse({ type: CandidatePanelDto })
  @ApiNotFoundResponse({ description: 'no booked panel interview' })
  @ApiConflictResponse({ description: 'past the change cut-off, out of changes, or the slot is no longer free' })
  reschedule(@CurrentUser() user: AuthUser, @Body() dto: BookSlotDto): Promise<CandidatePanelDto> {
    return this.panels.reschedule(user, dto);
  }

  @Delete('booking')
  @ApiOkResponse({ type: CandidatePanelDto })
  @ApiNotFoundResponse({ description: 'no booked panel interview' })
  @ApiConflictResponse({ description: 'past the change cut-off, or out of changes' })
  cancel(@CurrentUser() user: AuthUser): Promise<CandidatePanelDto> {
    return this.panels.cancel(user);
  }

  @Put('waitlist')
  @ApiOkResponse({ type: CandidatePanelDto, description: 'on the waitlist: an e-mail follows when a slot opens' })
  @ApiBadRequestResponse({ description: 'timeZone is not an IANA time zone' })
  @ApiNotFoundResponse({ description: 'no panel interview awaiting a booking' })
  @ApiConflictResponse({ description: 'a slot is free now: book it instead' })
  joinWaitlist(@CurrentUser() user: AuthUser, @Body() dto: JoinWaitlistDto): Promise<CandidatePanelDto> {
    return this.panels.joinWaitlist(user, dto);
  }

  @Delete('waitlist')
  @ApiOkResponse({ type: CandidatePanelDto, description: 'off the waitlist (also when not on it)' })
  @ApiNotFoundResponse({ description: 'no panel interview' })
  leaveWaitlist(@CurrentUser() user: AuthUser): Promise<CandidatePanelDto> {
    return this.panels.leaveWaitlist(user);
  }

  @Get('booking/invitation.ics')
  @ApiProduces('text/calendar')
  @Header('Content-Type', 'text/calendar; method=REQUEST; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="cpaa-panel-interview.ics"')
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ description: 'the booked interview as an iCalendar invitation' })
  @ApiNotFoundResponse({ description: 'no booked panel interview' })
  invitation(@CurrentUser() user: AuthUser): Promise<string> {
    return this.panels.invitation(user);
  }
}

@ApiTags('panels')
@Authenticated({ roles: ['reviewer'] })
@Controller('panels')
export class AssessorPanelsController {
  constructor(
    private readonly profiles: AssessorAvailabilityService,
    private readonly assignments: PanelAssignmentsService,
    private readonly decisions: PanelDecisionsService,
    private readonly changes: PanelBookingsService,
  ) {}

  @Get('availability')
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiNotFoundResponse({ description: 'not an assessor yet' })
  availability(@CurrentUser() user: AuthUser): Promise<AvailabilityDto> {
    return this.profiles.availability(user);
  }

  @Put('availability')
  @ApiOkResponse({ type: AvailabilityDto })
  @ApiNotFoundResponse({ description: 'not an assessor yet' })
  saveAvailability(@CurrentUser() user: AuthUser, @Body() dto: AvailabilityInputDto): Promise<AvailabilityDto> {
    return this.profiles.saveAvailability(user, dto);
  }

  @Get('availability/calendar')
  @ApiQuery({ name: 'from', required: false, example: '2026-12-01' })
  @ApiOkResponse({ type: CalendarDto })
  @ApiNotFoundResponse({ description: 'not an assessor yet' })
  calendar(@CurrentUser() user: AuthUser, @Query('from') from?: string): Promise<CalendarDto> {
    return this.profiles.calendar(user, from);
  }

  @Get('guide')
  @ApiOkResponse({ type: GuideDto })
  guide(): GuideDto {
    return { guide: this.assignments.guide as unknown as Record<string, unknown> };
  }

  @Get('assignments')
  @ApiOkResponse({ type: [PanelSummaryDto] })
  mine(@CurrentUser() user: AuthUser): Promise<PanelSummaryDto[]> {
    return this.assignments.myPanels(user);
  }

  @Get('assignments/:bookingId')
  @ApiOkResponse({ type: PanelDetailDto })
  detail(@CurrentUser() user: AuthUser, @Param('bookingId', ParseUUIDPipe) bookingId: string): Promise<PanelDetailDto> {
    return this.assignments.detail(user, bookingId);
  }

  @Put('assignments/:bookingId/scores')
  @ApiOkResponse({ type: PanelDetailDto })
  score(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: SubmitScoresDto,
  ): Promise<PanelDetailDto> {
    return this.assignments.submitScores(user, bookingId, dto);
  }

  @Get('assignments/:bookingId/draft')
  @ApiOkResponse({ type: SavedPanelScoreDraftDto, description: 'your score sheet in progress, as last autosaved' })
  @ApiNotFoundResponse({ description: 'no draft saved, or not a panel you sit on' })
  @ApiConflictResponse({ description: 'the panel is decided or closed: no sheet can be submitted any more' })
  draft(@CurrentUser() user: AuthUser, @Param('bookingId', ParseUUIDPipe) bookingId: string): Promise<SavedPanelScoreDraftDto> {
    return this.assignments.draft(user, bookingId);
  }

  @Put('assignments/:bookingId/draft')
  @ApiOkResponse({ type: SavedPanelScoreDraftDto, description: 'saved; replaces the draft before it' })
  @ApiBadRequestResponse({
    description: 'a domain not assessed at the panel or given twice, a score outside 0–3, notes over 4000 characters',
  })
  @ApiNotFoundResponse({ description: 'not a panel you sit on' })
  @ApiConflictResponse({ description: 'the interview has not started, the panel is decided or closed, or your scores are already in' })
  saveDraft(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: PanelScoreDraftDto,
  ): Promise<SavedPanelScoreDraftDto> {
    return this.assignments.saveDraft(user, bookingId, dto);
  }

  @Post('assignments/:bookingId/decision')
  @HttpCode(200)
  @ApiOkResponse({ type: PanelDetailDto })
  @ApiForbiddenResponse({ description: `not the panel chair, or ${NOT_INDEPENDENT_DOC}` })
  decide(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: PanelDecisionInputDto,
  ): Promise<PanelDetailDto> {
    return this.decisions.decide(user, bookingId, dto.note);
  }

  @Post('assignments/:bookingId/no-show')
  @HttpCode(200)
  @ApiOkResponse({ type: PanelDetailDto })
  @ApiForbiddenResponse({ description: `not the panel chair, or ${NOT_INDEPENDENT_DOC}` })
  noShow(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: NoShowDto,
  ): Promise<PanelDetailDto> {
    return this.decisions.noShow(user, bookingId, dto);
  }

  @Post('assignments/:bookingId/withdraw')
  @HttpCode(200)
  @ApiOkResponse({ type: WithdrawResultDto })
  withdraw(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: WithdrawFromPanelDto,
  ): Promise<WithdrawResultDto> {
    return this.changes.withdraw(user, bookingId, dto.reason);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/panels')
export class AdminPanelsController {
  constructor(
    private readonly panels: PanelAdminService,
    private readonly waitAlerts: PanelWaitAlertsService,
  ) {}

  @Get('assessors')
  @ApiOkResponse({ type: [AssessorRowDto] })
  assessors(): Promise<AssessorRowDto[]> {
    return this.panels.assessors();
  }

  @RequiresStepUp()
  @Put('assessors/:userId')
  @ApiOkResponse({ type: [AssessorRowDto] })
  setAssessor(
    @CurrentUser() user: AuthUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: AssessorRoleDto,
  ): Promise<AssessorRowDto[]> {
    return this.panels.setAssessor(user, userId, dto.active, dto.isChair);
  }

  @Get('bookings')
  @AuditRead({ action: 'panel.bookings_listed', subjectType: 'panel_booking' })
  @ApiOkResponse({
    type: AdminBookingsPageDto,
    description: 'one page of panel bookings, latest start first (soonest first with order=asc)',
  })
  @ApiBadRequestResponse({
    description: 'an unknown status, a day not written YYYY-MM-DD, from after to, a page below 1 or a page size above 500',
  })
  bookings(@Query() query: AdminBookingsQueryDto): Promise<AdminBookingsPageDto> {
    return this.panels.bookingList(query);
  }

  @Get('bookings/export.csv')
  @AuditRead({ action: 'panel.bookings_exported', subjectType: 'panel_booking' })
  @CsvExport('panel-bookings.csv', 'the bookings the same filters find, in the same order')
  bookingsCsv(@Query() query: AdminBookingsQueryDto): Promise<string> {
    return this.panels.bookingsCsv(query);
  }

  @Post('bookings/:bookingId/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: AdminBookingDto, description: 'the cancelled booking' })
  @ApiForbiddenResponse({ description: `missing role, or ${NOT_INDEPENDENT_DOC}` })
  cancel(
    @CurrentUser() user: AuthUser,
    @Param('bookingId', ParseUUIDPipe) bookingId: string,
    @Body() dto: AdminCancelBookingDto,
  ): Promise<AdminBookingDto> {
    return this.panels.adminCancel(user, bookingId, dto.reason);
  }

  @Get('waiting')
  @ApiOkResponse({ type: LongWaitListDto, description: 'passed candidates with no booking for PANEL_WAIT_ALERT_DAYS or longer' })
  waiting(): Promise<LongWaitListDto> {
    return this.waitAlerts.list();
  }

  @Get('settings')
  @ApiOkResponse({ type: PanelSettingsDto })
  settings(): Promise<PanelSettingsDto> {
    return this.panels.settings();
  }

  @Put('settings')
  @ApiOkResponse({ type: PanelSettingsDto })
  @ApiConflictResponse({ description: "reason 'stale_settings': the settings changed since the revision sent; nothing was saved" })
  saveSettings(@CurrentUser() user: AuthUser, @Body() dto: PanelSettingsDto): Promise<PanelSettingsDto> {
    return this.panels.saveSettings(user, dto);
  }
}
