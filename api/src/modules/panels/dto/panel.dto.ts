import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsDay, SearchableListQueryDto, trimmed } from '../../../common/lists/list-query';
import { BOOKING_STATES, type BookingState } from '../booking-lifecycle';

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class TimeWindowDto {
  @ApiProperty({ example: '09:00' }) @Matches(HHMM, { message: 'start must be HH:MM' }) start: string;
  @ApiProperty({ example: '17:00', description: 'may be 24:00 (end of the day)' })
  @Matches(HHMM, { message: 'end must be HH:MM or 24:00' })
  end: string;
}

export class WeeklyWindowDto extends TimeWindowDto {
  @ApiProperty({ minimum: 1, maximum: 7, description: '1 = Monday … 7 = Sunday' }) @IsInt() @Min(1) @Max(7) weekday: number;
}

export class DateOverrideDto {
  @ApiProperty({ example: '2026-12-24' }) @Matches(DATE, { message: 'date must be YYYY-MM-DD' }) date: string;
  @ApiProperty({ type: [TimeWindowDto], description: 'empty = day off' })
  @IsArray()
  @ArrayMaxSize(6)
  @ValidateNested({ each: true })
  @Type(() => TimeWindowDto)
  windows: TimeWindowDto[];
}

export class AvailabilityInputDto {
  @ApiProperty({ example: 'Europe/Berlin', description: 'IANA time zone the windows are in' }) @IsString() @MaxLength(64) timeZone: string;
  @ApiProperty({ minimum: 1, maximum: 20 }) @IsInt() @Min(1) @Max(20) weeklyCap: number;
  @ApiProperty({ type: [WeeklyWindowDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => WeeklyWindowDto)
  weekly: WeeklyWindowDto[];
  @ApiProperty({ type: [DateOverrideDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => DateOverrideDto)
  overrides: DateOverrideDto[];
}

export class AvailabilityDto extends AvailabilityInputDto {
  @ApiProperty() isChair: boolean;
  @ApiProperty() active: boolean;
}

export class CalendarBookingDto {
  @ApiProperty() bookingId: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: "HH:MM in the assessor's zone" }) localStart: string;
  @ApiProperty() localEnd: string;
}

export class CalendarDayDto {
  @ApiProperty({ example: '2026-12-01' }) date: string;
  @ApiProperty({ minimum: 1, maximum: 7 }) weekday: number;
  @ApiProperty({ type: [TimeWindowDto] }) windows: TimeWindowDto[];
  @ApiProperty({ description: 'true when a date override applies' }) overridden: boolean;
  @ApiProperty({ type: [CalendarBookingDto] }) bookings: CalendarBookingDto[];
}

export class CalendarDto {
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [CalendarDayDto] }) days: CalendarDayDto[];
}

export class SlotDto {
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ description: 'HH:MM in the requested zone' }) localTime: string;
}

export class SlotDayDto {
  @ApiProperty() date: string;
  @ApiProperty({ type: [SlotDto] }) slots: SlotDto[];
}

export class SlotListDto {
  @ApiProperty() timeZone: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ type: [SlotDayDto] }) days: SlotDayDto[];
}

export class BookSlotDto {
  @ApiProperty({ example: '2026-12-03T14:00:00.000Z' }) @IsISO8601({ strict: true }) start: string;
  @ApiProperty({ example: 'Europe/Berlin' }) @IsString() @MaxLength(64) timeZone: string;
}

export class JoinWaitlistDto {
  @ApiProperty({ example: 'Europe/Berlin', description: 'the IANA zone the e-mail gives the first free time in' })
  @IsString()
  @MaxLength(64)
  timeZone: string;
}

export class CandidateWaitlistDto {
  @ApiProperty({ format: 'date-time' }) joinedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the candidate was e-mailed that a slot opened' })
  notifiedAt: string | null;
}

export class CandidateBookingDto {
  @ApiProperty() id: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ enum: BOOKING_STATES }) status: string;
  @ApiProperty() meetingUrl: string;
  @ApiProperty() sequence: number;
}

export class PanelDomainResultDto {
  @ApiProperty() domain: string;
  @ApiProperty() title: string;
  @ApiProperty() met: boolean;
  @ApiProperty({ description: 'assessors who judged it met' }) votes: number;
}

export class PanelDecisionDto {
  @ApiProperty({ enum: ['pass', 'fail'] }) outcome: string;
  @ApiProperty({ enum: ['panel', 'no_show'] }) route: string;
  @ApiProperty() decidedAt: string;
  @ApiProperty({ type: [PanelDomainResultDto] }) domains: PanelDomainResultDto[];
}

export class CandidatePanelDto {
  @ApiProperty({ enum: ['not_eligible', 'awaiting_booking', 'booked', 'decided'] }) stage: string;
  @ApiPropertyOptional() interviewId?: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() durationMinutes: number;
  @ApiProperty({ description: 'reschedules and cancellations still allowed' }) changesLeft: number;
  @ApiProperty({ description: 'hours before the start after which the booking cannot be changed' }) changeCutoffHours: number;
  @ApiProperty({ description: 'true while the booking may be rescheduled or cancelled' }) canChange: boolean;
  @ApiPropertyOptional({ type: CandidateBookingDto, nullable: true }) booking: CandidateBookingDto | null;
  @ApiPropertyOptional({ type: PanelDecisionDto, nullable: true }) decision: PanelDecisionDto | null;
  @ApiPropertyOptional({ type: String, nullable: true }) certificateNumber: string | null;
  @ApiPropertyOptional({
    type: CandidateWaitlistDto,
    nullable: true,
    description: 'set while the candidate waits to be told a slot opened',
  })
  waitlist?: CandidateWaitlistDto | null;
}

export class DomainScoreDto {
  @ApiProperty({ example: 'D01' }) @Matches(/^D0[1-8]$/, { message: 'domain must be D01 … D08' }) domain: string;
  @ApiProperty({ minimum: 0, maximum: 3 }) @IsInt() @Min(0) @Max(3) score: number;
  @ApiProperty() @IsString() @MaxLength(4000) notes: string;
}

export class SubmitScoresDto {
  @ApiProperty({ type: [DomainScoreDto] })
  @IsArray()
  @ArrayMinSize(8)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => DomainScoreDto)
  domains: DomainScoreDto[];
}

/** One domain of a panel score sheet in progress: a score not chosen yet is null. */
export class DraftDomainScoreDto {
  @ApiProperty({ example: 'D01' }) @Matches(/^D0[1-8]$/, { message: 'domain must be D01 … D08' }) domain: string;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 3 })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(3)
  score: number | null;
  @ApiProperty({ maxLength: 4000 }) @IsString() @MaxLength(4000) notes: string;
}

/** A panel score sheet in progress: anything may still be missing; it is checked in full only when the scores are submitted. */
export class PanelScoreDraftDto {
  @ApiProperty({ type: [DraftDomainScoreDto], maxItems: 8 })
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => DraftDomainScoreDto)
  domains: DraftDomainScoreDto[];
}

export class SavedPanelScoreDraftDto extends PanelScoreDraftDto {
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class PanelMemberDto {
  @ApiProperty() assessorId: string;
  @ApiProperty() name: string;
  @ApiProperty() isChair: boolean;
  @ApiProperty() scored: boolean;
  @ApiProperty() noShow: boolean;
}

export class MemberScoresDto {
  @ApiProperty() assessorId: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [DomainScoreDto] }) domains: DomainScoreDto[];
  @ApiProperty() submittedAt: string;
}

export class PanelSummaryDto {
  @ApiProperty() bookingId: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ enum: BOOKING_STATES }) status: string;
  @ApiProperty() candidateName: string;
  @ApiProperty() isChair: boolean;
  @ApiProperty() scored: boolean;
  @ApiPropertyOptional({ enum: ['pass', 'fail'], nullable: true }) outcome: string | null;
}

export class PanelEvidenceAttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ example: 'application/pdf', description: 'PDFs and PNG/JPEG images can be previewed in the page' }) mediaType: string;
}

export class PanelEvidenceDto {
  @ApiProperty() criterion: string;
  @ApiProperty() narrative: string;
  @ApiProperty({ type: [PanelEvidenceAttachmentDto] }) attachments: PanelEvidenceAttachmentDto[];
}

export class PanelDetailDto extends PanelSummaryDto {
  @ApiProperty() meetingUrl: string;
  @ApiProperty() timeZone: string;
  @ApiProperty() submissionId: string;
  @ApiProperty({ type: Object, description: 'deployment context of the passed CPAA submission' }) context: Record<string, unknown>;
  @ApiProperty({ type: [PanelEvidenceDto] }) evidence: PanelEvidenceDto[];
  @ApiProperty({ type: [PanelMemberDto] }) members: PanelMemberDto[];
  @ApiProperty({ description: 'scoring opens when the interview starts' }) scoringOpen: boolean;
  @ApiPropertyOptional({ type: [DomainScoreDto], nullable: true }) myScores: DomainScoreDto[] | null;
  @ApiProperty({ type: [MemberScoresDto], description: "other assessors' scores, only after you submitted yours" })
  otherScores: MemberScoresDto[];
  @ApiProperty() metScore: number;
  @ApiProperty() passVotes: number;
  @ApiPropertyOptional({ type: PanelDecisionDto, nullable: true }) decision: PanelDecisionDto | null;
}

export class PanelDecisionInputDto {
  @ApiProperty({ description: "the chair's summary for the record" }) @IsString() @MaxLength(4000) note: string;
}

export class NoShowDto {
  @ApiProperty({ enum: ['candidate', 'assessor'] }) @IsIn(['candidate', 'assessor']) party: 'candidate' | 'assessor';
  @ApiPropertyOptional() @IsOptional() @IsUUID() assessorId?: string;
  @ApiProperty() @IsString() @MaxLength(2000) note: string;
}

export class WithdrawFromPanelDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason: string;
}

export class WithdrawResultDto {
  @ApiProperty({ enum: ['replaced', 'cancelled'] }) outcome: string;
}

export class PanelSettingsDto {
  @ApiProperty() @IsInt() @Min(30) @Max(240) durationMinutes: number;
  @ApiProperty() @IsInt() @Min(0) @Max(120) bufferMinutes: number;
  @ApiProperty() @IsInt() @Min(0) @Max(720) minNoticeHours: number;
  @ApiProperty() @IsInt() @Min(1) @Max(180) horizonDays: number;
  @ApiProperty({ enum: [15, 30, 60] }) @IsIn([15, 30, 60]) stepMinutes: number;
  @ApiProperty() @IsInt() @Min(0) @Max(10) maxChanges: number;
  @ApiProperty() @IsInt() @Min(0) @Max(720) changeCutoffHours: number;
  @ApiProperty({ description: 'lowest score (0–3) that counts as "met"' }) @IsInt() @Min(1) @Max(3) metScore: number;
  @ApiProperty({ description: 'assessors (of 3) who must judge a domain met' }) @IsInt() @Min(1) @Max(3) domainPassVotes: number;
  @ApiProperty({ enum: ['fail', 'rebook'], description: 'what a candidate no-show leads to' }) @IsIn(['fail', 'rebook']) candidateNoShow:
    'fail' | 'rebook';
  @ApiPropertyOptional({
    maxLength: 64,
    description:
      'answered: the revision of these settings. Sent back with a change: the revision it was made from; when the settings have ' +
      'changed since, the save is refused (409) and nothing changes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  revision?: string;
}

export class AssessorRowDto {
  @ApiProperty() userId: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty() assessor: boolean;
  @ApiProperty() isChair: boolean;
  @ApiProperty() active: boolean;
  @ApiProperty() timeZone: string;
  @ApiProperty() upcomingPanels: number;
}

export class AssessorRoleDto {
  @ApiProperty() @IsBoolean() active: boolean;
  @ApiProperty() @IsBoolean() isChair: boolean;
}

export class GuideDto {
  @ApiProperty({ type: Object }) guide: Record<string, unknown>;
}

export class AdminBookingDto {
  @ApiProperty() id: string;
  @ApiProperty() start: string;
  @ApiProperty() end: string;
  @ApiProperty({ enum: BOOKING_STATES }) status: string;
  @ApiProperty() candidateName: string;
  @ApiProperty({ type: [String], description: 'active members, the chair first' }) panel: string[];
  @ApiPropertyOptional({ type: String, nullable: true }) closeReason: string | null;
}

/** `GET /api/admin/panels/bookings`: every panel booking, searched by candidate, filtered by status and day, a page at a time. */
export class AdminBookingsQueryDto extends SearchableListQueryDto {
  @ApiPropertyOptional({ description: "part of the candidate's name (case-insensitive)" })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  declare query?: string;

  @ApiPropertyOptional({ enum: BOOKING_STATES })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(BOOKING_STATES)
  status?: BookingState;

  @ApiPropertyOptional({ format: 'date', description: 'interviews starting on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'interviews starting on or before this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  to?: string;

  @ApiPropertyOptional({ enum: ['startsAt'], default: 'startsAt', description: 'bookings sort by their start (see order)' })
  @IsOptional()
  @IsIn(['startsAt'])
  sort?: 'startsAt';
}

export class AdminBookingsPageDto {
  @ApiProperty({ type: [AdminBookingDto] }) items: AdminBookingDto[];
  @ApiProperty({ description: 'matches in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

export class AdminCancelBookingDto {
  @ApiProperty() @IsString() @MaxLength(2000) reason: string;
}

export class LongWaitDto {
  @ApiProperty() interviewId: string;
  @ApiProperty() candidateName: string;
  @ApiProperty({ format: 'date-time', description: 'since the panel stage opened, or since the last booking was cancelled' })
  waitingSince: string;
  @ApiProperty() days: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when administrators were e-mailed' })
  alertedAt: string | null;
}

export class LongWaitListDto {
  @ApiProperty({ description: 'PANEL_WAIT_ALERT_DAYS' }) alertDays: number;
  @ApiProperty({ type: [LongWaitDto] }) waits: LongWaitDto[];
}
