import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export const STUDY_STATUSES = ['round1', 'round2', 'closed', 'adopted', 'cancelled'] as const;

export class CreateStudyDto {
  @ApiProperty({ example: 'AIDA cut score study, spring window' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  title: string;

  @ApiProperty({ type: [String], description: 'reviewers invited as subject experts (2 to 30)' })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(30)
  @IsUUID('all', { each: true })
  raterIds: string[];
}

export class RatingDto {
  @ApiProperty() @IsUUID() itemVersionId: string;

  @ApiProperty({ minimum: 0, maximum: 1, description: 'probability that a minimally competent candidate answers correctly' })
  @IsNumber({ maxDecimalPlaces: 3 })
  @Min(0)
  @Max(1)
  probability: number;
}

export class SaveRatingsDto {
  @ApiProperty({ type: [RatingDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => RatingDto)
  ratings: RatingDto[];
}

export class AdoptCutDto {
  @ApiProperty({ description: 'why this cut is adopted (recorded with the exam window)' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  reason: string;

  @ApiPropertyOptional({ description: 'when the new exam window opens (ISO-8601; default now, never in the past)' })
  @IsOptional()
  @IsDateString()
  startsAt?: string;
}

export class StudyRaterDto {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty() email: string;
  @ApiProperty({ description: 'items rated in round 1' }) ratedRound1: number;
  @ApiProperty({ description: 'items rated in round 2' }) ratedRound2: number;
}

export class RaterCutDto {
  @ApiProperty() raterId: string;
  @ApiProperty() name: string;
  @ApiProperty() cutPercent: number;
  @ApiProperty() rated: number;
  @ApiProperty({ description: 'rated every item, so counted in the cut' }) counted: boolean;
}

export class StudyResultDto {
  @ApiProperty({ description: 'the recommended cut, in percent of the scored questions' }) cutPercent: number;
  @ApiProperty({ description: 'raw score needed to pass on a form' }) cutRaw: number;
  @ApiProperty() formLength: number;
  @ApiProperty({ description: 'spread of the raters’ cuts (SD, percent points)' }) raterSdPercent: number;
  @ApiProperty({ description: 'standard error of the cut (percent points)' }) standardErrorPercent: number;
  @ApiProperty({ type: Number, nullable: true, description: 'SEM of the current exam window, raw points (null under 30 attempts)' })
  semRaw: number | null;
  @ApiProperty({ description: 'cut ± 1 SEM (or ± 1 standard error when no SEM is known), percent' }) lowPercent: number;
  @ApiProperty() highPercent: number;
  @ApiProperty({ type: [RaterCutDto] }) raters: RaterCutDto[];
  @ApiProperty({ description: 'the pass mark in use when the study closed' }) passMarkInUsePercent: number;
}

export class StudyDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STUDY_STATUSES }) status: (typeof STUDY_STATUSES)[number];
  @ApiProperty() formLength: number;
  @ApiProperty({ description: 'items rated (the active pool when the study opened)' }) items: number;
  @ApiProperty() createdBy: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) round2OpenedAt: string | null;
  @ApiProperty({ type: String, nullable: true }) closedAt: string | null;
  @ApiProperty({ type: [StudyRaterDto] }) raters: StudyRaterDto[];
  @ApiProperty({ type: StudyResultDto, nullable: true }) result: StudyResultDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'the exam window opened with this cut' }) adoptedWindowId: string | null;
}

export class StudyStatisticsDto {
  @ApiProperty() n: number;
  @ApiProperty({ type: Number, nullable: true }) facility: number | null;
  @ApiProperty({ type: Number, nullable: true }) pointBiserial: number | null;
}

export class RatedOptionDto {
  @ApiProperty() text: string;
  @ApiProperty() key: boolean;
}

export class RatedItemDto {
  @ApiProperty() itemVersionId: string;
  @ApiProperty() itemId: string;
  @ApiProperty() position: number;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty() criterionText: string;
  @ApiProperty() difficulty: string;
  @ApiProperty() stem: string;
  @ApiProperty({ type: [RatedOptionDto] }) options: RatedOptionDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'your rating in the round now open' }) rating: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'round 2: your round-1 rating' }) round1Rating?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'round 2: the panel’s round-1 mean' }) panelRound1Mean?: number | null;
  @ApiPropertyOptional({ type: StudyStatisticsDto, nullable: true, description: 'round 2: how candidates did on the item' })
  statistics?: StudyStatisticsDto | null;
}

export class RaterStudySummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: STUDY_STATUSES }) status: (typeof STUDY_STATUSES)[number];
  @ApiProperty({ type: Number, nullable: true, description: 'the round open for rating, if any' }) round: number | null;
  @ApiProperty() items: number;
  @ApiProperty({ description: 'items you have rated in the open round' }) rated: number;
}

export class RaterStudyDto extends RaterStudySummaryDto {
  @ApiProperty({ type: [RatedItemDto] }) itemsToRate: RatedItemDto[];
}
