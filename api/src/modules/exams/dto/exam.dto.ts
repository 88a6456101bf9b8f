import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsDay, SearchableListQueryDto, trimmed } from '../../../common/lists/list-query';
import { ATTEMPT_STATES } from '../attempt-lifecycle';

export class BlueprintEntryDto {
  @ApiProperty({ example: 'D01' }) domain: string;
  @ApiProperty({ example: 3 }) count: number;
}

export class EligibilityDto {
  @ApiProperty() canStart: boolean;
  @ApiPropertyOptional() reason?: string;
  @ApiPropertyOptional({ description: 'when a new attempt becomes possible (ISO-8601)' }) retryAfter?: string;
  @ApiPropertyOptional({ description: 'the attempt in progress, when there is one' }) attemptId?: string;
}

export class ExamInfoDto {
  @ApiProperty({ example: 'AIDA' }) code: 'AIDA';
  @ApiProperty({ example: 20, description: 'scored questions: the result rests on these alone' }) questionCount: number;
  @ApiProperty({
    example: 22,
    description: 'questions a candidate sees: the scored ones plus unscored pretest questions, which are not marked as such',
  })
  formLength: number;
  @ApiProperty({ description: 'the standard time limit' }) timeLimitSeconds: number;
  @ApiProperty({ description: "this candidate's time limit, with their accommodation" }) yourTimeLimitSeconds: number;
  @ApiProperty() passMarkPercent: number;
  @ApiProperty({ type: [BlueprintEntryDto] }) blueprint: BlueprintEntryDto[];
  @ApiProperty({ type: EligibilityDto }) eligibility: EligibilityDto;
}

export class AttemptDomainDto {
  @ApiProperty({ example: 'D04' }) code: string;
  @ApiProperty() title: string;
}

export class AttemptOptionDto {
  @ApiProperty({ description: 'opaque, different in every attempt' }) id: string;
  @ApiProperty() text: string;
}

export class AttemptQuestionDto {
  @ApiProperty({ description: 'opaque, different in every attempt' }) id: string;
  @ApiProperty({ minimum: 1, description: '1 … formLength (scored and pretest questions mixed)' }) position: number;
  @ApiProperty({ type: AttemptDomainDto }) domain: AttemptDomainDto;
  @ApiProperty() stem: string;
  @ApiProperty({ type: [AttemptOptionDto] }) options: AttemptOptionDto[];
}

export class AttemptAnswerDto {
  @ApiProperty() questionId: string;
  @ApiProperty({ type: String, nullable: true }) optionId: string | null;
  @ApiProperty() flagged: boolean;
}

export class DomainResultDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty() correct: number;
  @ApiProperty() total: number;
}

export class AttemptResultDto {
  @ApiProperty() correct: number;
  @ApiProperty() total: number;
  @ApiProperty() scorePercent: number;
  @ApiProperty() passMarkPercent: number;
  @ApiProperty() passed: boolean;
  @ApiProperty({ type: [DomainResultDto] }) domains: DomainResultDto[];
  @ApiPropertyOptional() certificateNumber?: string;
  @ApiPropertyOptional({ description: 'after a fail: when a retake becomes possible (ISO-8601)' }) retakeAfter?: string;
}

export const ATTEMPT_STATUSES = ATTEMPT_STATES;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export class AttemptDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'AIDA' }) examCode: 'AIDA';
  @ApiProperty({ enum: ATTEMPT_STATUSES }) status: AttemptStatus;
  @ApiProperty() startedAt: string;
  @ApiProperty() deadline: string;
  @ApiProperty({ description: "the server's clock when this response was made" }) serverTime: string;
  @ApiProperty() timeLimitSeconds: number;
  @ApiProperty({ type: [AttemptQuestionDto] }) questions: AttemptQuestionDto[];
  @ApiProperty({ type: [AttemptAnswerDto] }) answers: AttemptAnswerDto[];
  @ApiPropertyOptional({ type: AttemptResultDto }) result?: AttemptResultDto;
}

export class AttemptSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ATTEMPT_STATUSES }) status: AttemptStatus;
  @ApiProperty() startedAt: string;
  @ApiProperty() deadline: string;
  @ApiProperty({ type: String, nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) scorePercent: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) passed: boolean | null;
}

export class SaveAnswerDto {
  @ApiProperty({ type: String, nullable: true, description: 'one of the question’s option ids, or null to clear' })
  @ValidateIf((_, v) => v !== null)
  @IsUUID('all', { message: 'optionId must be one of this question’s option ids or null' })
  optionId: string | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  flagged?: boolean;

  @ApiPropertyOptional({ description: 'orders one client’s saves to a question; lower than stored = ignored' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  clientSeq?: number;
}

export class SavedAnswerDto {
  @ApiProperty() questionId: string;
  @ApiProperty({ type: String, nullable: true }) optionId: string | null;
  @ApiProperty() flagged: boolean;
  @ApiProperty() savedAt: string;
}

export const PASS_MARK_SOURCES = ['blueprint', 'admin_decision', 'standard_setting'] as const;

export class ExamSettingsDto {
  @ApiProperty() timeLimitSeconds: number;
  @ApiProperty({ description: 'the pass mark of the exam window in force' }) passMarkPercent: number;
  @ApiProperty() retakeCooldownSeconds: number;
  @ApiProperty({ minimum: 0, maximum: 5, description: 'unscored pretest questions added to each form' }) pretestCount: number;
  @ApiProperty({ enum: PASS_MARK_SOURCES, description: 'where the pass mark in force comes from' })
  passMarkSource: (typeof PASS_MARK_SOURCES)[number];
  @ApiProperty({ description: 'the exam window in force' }) windowId: string;
  @ApiProperty({ description: 'changes whenever any of the settings above does: send it back as expectedRevision' }) revision: string;
}

export class UpdateExamSettingsDto {
  @ApiPropertyOptional({
    maxLength: 64,
    description:
      'the revision the change was made from: when the settings have changed since, the save is refused (409) and nothing changes',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  expectedRevision?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 86_400 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86_400)
  timeLimitSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(100)
  passMarkPercent?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 31_536_000 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(31_536_000)
  retakeCooldownSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 5, description: 'unscored pretest questions added to each form' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  pretestCount?: number;

  @ApiPropertyOptional({ maxLength: 500, description: 'why the pass mark changes (recorded with the new exam window)' })
  @IsOptional()
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  passMarkReason?: string;
}

export class AccommodationDto {
  @ApiProperty({ minimum: 1, maximum: 3, example: 1.5 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(1)
  @Max(3)
  timeMultiplier: number;
}

export class AccommodationResultDto {
  @ApiProperty() userId: string;
  @ApiProperty() timeMultiplier: number;
}

export class AccommodationStateDto extends AccommodationResultDto {
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when it was last set; null when never (1.0)' })
  updatedAt: string | null;
}

export class AdminAttemptDto extends AttemptSummaryDto {
  @ApiProperty() userId: string;
  @ApiProperty() candidateName: string;
  @ApiProperty() candidateEmail: string;
  @ApiProperty() timeLimitSeconds: number;
}

export const ATTEMPT_SORTS = ['startedAt', 'submittedAt', 'scorePercent', 'candidate'] as const;
export type AttemptSort = (typeof ATTEMPT_SORTS)[number];
export const ATTEMPT_RESULTS = ['passed', 'failed'] as const;
export type AttemptResult = (typeof ATTEMPT_RESULTS)[number];

/** `GET /api/admin/exams/aida/attempts`: every AIDA attempt, searchable by candidate, filtered by status, result and day started. */
export class AdminAttemptsQueryDto extends SearchableListQueryDto {
  @ApiPropertyOptional({ description: "part of the candidate's name or e-mail address (case-insensitive)" })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  declare query?: string;

  @ApiPropertyOptional({ enum: ATTEMPT_STATUSES })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(ATTEMPT_STATUSES)
  status?: AttemptStatus;

  @ApiPropertyOptional({ enum: ATTEMPT_RESULTS, description: 'scored attempts that passed, or that did not' })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(ATTEMPT_RESULTS)
  result?: AttemptResult;

  @ApiPropertyOptional({ format: 'date', description: 'attempts started on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'attempts started on or before this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  to?: string;

  @ApiPropertyOptional({ enum: ATTEMPT_SORTS, default: 'startedAt', description: 'default order: latest first; candidates A–Z' })
  @IsOptional()
  @IsIn(ATTEMPT_SORTS)
  sort?: AttemptSort;
}

export class AdminAttemptsPageDto {
  @ApiProperty({ type: [AdminAttemptDto] }) items: AdminAttemptDto[];
  @ApiProperty({ description: 'matches in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}
