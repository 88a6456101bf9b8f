import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ASSIGNMENT_STATES } from '../assignment-lifecycle';

export class AwayPeriodDto {
  @ApiProperty({ example: '2026-12-20' }) @IsDateString() from: string;
  @ApiProperty({ example: '2027-01-05' }) @IsDateString() to: string;
}

export class ReviewerProfileDto {
  @ApiProperty() @IsString() @MaxLength(300) organisation: string;

  @ApiProperty({ example: ['D04', 'D06'] })
  @IsArray()
  @ArrayUnique()
  @Matches(/^D0[1-8]$/, { each: true, message: 'expertise must list domain codes such as D04' })
  expertise: string[];

  @ApiProperty({ minimum: 1, maximum: 50 }) @IsInt() @Min(1) @Max(50) maxConcurrent: number;

  @ApiProperty({ type: [AwayPeriodDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AwayPeriodDto)
  away: AwayPeriodDto[];
}

export class DeclineDto {
  @ApiPropertyOptional({ description: 'true when declining because of a conflict of interest' })
  @IsOptional()
  @IsBoolean()
  conflict?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class AssignmentDto {
  @ApiProperty() id: string;
  @ApiProperty() submissionId: string;
  @ApiProperty({ enum: ['CPAP', 'CPAA'] }) credential: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ASSIGNMENT_STATES }) status: string;
  @ApiProperty() offeredAt: string;
  @ApiProperty() respondBy: string;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'hidden (null) in blind review' }) candidateName: string | null;
}

export class CriterionScoreDto {
  @ApiProperty({ example: 'D04.2' }) @Matches(/^D0[1-8]\.[1-5]$/) criterion: string;
  @ApiProperty({ minimum: 0, maximum: 3, description: '0 not evidenced, 1 partially, 2 met, 3 exemplary' })
  @IsInt()
  @Min(0)
  @Max(3)
  score: number;
  @ApiPropertyOptional({ description: 'required when the score is below 2' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class DomainJudgementDto {
  @ApiProperty({ example: 'D04' }) @Matches(/^D0[1-8]$/) domain: string;
  @ApiProperty() @IsBoolean() met: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class SubmitReviewDto {
  @ApiProperty({ type: [CriterionScoreDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => CriterionScoreDto)
  criterionScores: CriterionScoreDto[];

  @ApiProperty({ type: [DomainJudgementDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => DomainJudgementDto)
  domainJudgements: DomainJudgementDto[];

  @ApiProperty({ enum: ['pass', 'revise', 'fail'] })
  @IsIn(['pass', 'revise', 'fail'])
  recommendation: 'pass' | 'revise' | 'fail';
}

export class PeerReviewDto {
  @ApiProperty({ description: 'Reviewer 1, Reviewer 2 … (no identities)' }) label: string;
  @ApiProperty() mine: boolean;
  @ApiProperty({ type: [CriterionScoreDto] }) criterionScores: CriterionScoreDto[];
  @ApiProperty({ type: [DomainJudgementDto] }) domainJudgements: DomainJudgementDto[];
  @ApiProperty() recommendation: string;
}

export class DecisionInputDto {
  @ApiProperty({ enum: ['pass', 'revise', 'fail'] }) @IsIn(['pass', 'revise', 'fail']) outcome: 'pass' | 'revise' | 'fail';
  @ApiProperty() @IsString() @MaxLength(5000) @Matches(/\S/, { message: 'reason is required' }) reason: string;
}

export class WithdrawDto {
  @ApiProperty() @IsString() @MaxLength(1000) @Matches(/\S/, { message: 'reason is required' }) reason: string;
}

export class ReviewerSubmissionDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() credential: string;
  @ApiProperty() version: number;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'null in blind review' }) candidate: Record<
    string,
    string
  > | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) context: Record<string, string>;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      required: ['criterion', 'text', 'narrative', 'attachments'],
      properties: {
        criterion: { type: 'string' },
        text: { type: 'string', description: 'the criterion as the framework words it' },
        narrative: { type: 'string' },
        attachments: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'fileName', 'mediaType'],
            properties: { id: { type: 'string' }, fileName: { type: 'string' }, mediaType: { type: 'string' } },
          },
        },
      },
    },
  })
  evidence: Array<{ criterion: string; narrative: string; attachments: Array<{ id: string; fileName: string; mediaType: string }> }>;
}

export class BoardAssignmentDto {
  @ApiProperty() assignmentId: string;
  @ApiProperty() reviewer: string;
  @ApiProperty() status: string;
  @ApiProperty() respondBy: string;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty() overdue: boolean;
}

export class BoardRowDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() credential: string;
  @ApiProperty() version: number;
  @ApiProperty() candidate: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty() stage: string;
  @ApiProperty({ type: String, nullable: true }) decisionRoute: string | null;
  @ApiProperty({ type: [BoardAssignmentDto] }) assignments: BoardAssignmentDto[];
  @ApiProperty() overdue: boolean;
}

export class DecisionResultDto {
  @ApiProperty() outcome: string;
  @ApiProperty() route: string;
}

export class AppealResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['upheld', 'rejected'] }) status: 'upheld' | 'rejected';
}

export class AppealOutcomeDto {
  @ApiProperty() @IsBoolean() upheld: boolean;
  @ApiProperty() @IsString() @MaxLength(5000) @Matches(/\S/, { message: 'note is required' }) note: string;
  @ApiPropertyOptional({ enum: ['pass', 'revise', 'fail'], description: 'the new decision when the appeal is upheld' })
  @IsOptional()
  @IsIn(['pass', 'revise', 'fail'])
  newOutcome?: 'pass' | 'revise' | 'fail';
}

export class AppealSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() submissionId: string;
  @ApiProperty() credential: string;
  @ApiProperty() version: number;
  @ApiProperty() candidate: string;
  @ApiProperty() decision: string;
  @ApiProperty() grounds: string;
  @ApiProperty() filedAt: string;
}

/** One criterion of a draft: a score not chosen yet is null. */
export class DraftCriterionScoreDto {
  @ApiProperty({ example: 'D04.2' }) @Matches(/^D0[1-8]\.[1-5]$/, { message: 'criterion must be a code such as D04.2' }) criterion: string;
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: 3 })
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(0)
  @Max(3)
  score: number | null;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class DraftDomainJudgementDto {
  @ApiProperty({ example: 'D04' }) @Matches(/^D0[1-8]$/, { message: 'domain must be a code such as D04' }) domain: string;
  @ApiProperty({ type: Boolean, nullable: true }) @ValidateIf((_, v) => v !== null) @IsBoolean() met: boolean | null;
  @ApiPropertyOptional({ maxLength: 5000 }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

/** A review in progress: anything may still be missing; it is checked in full only when submitted. */
export class ReviewDraftDto {
  @ApiProperty({ type: [DraftCriterionScoreDto] })
  @IsArray()
  @ArrayMaxSize(40)
  @ValidateNested({ each: true })
  @Type(() => DraftCriterionScoreDto)
  criterionScores: DraftCriterionScoreDto[];

  @ApiProperty({ type: [DraftDomainJudgementDto] })
  @IsArray()
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => DraftDomainJudgementDto)
  domainJudgements: DraftDomainJudgementDto[];

  @ApiProperty({ enum: ['pass', 'revise', 'fail'], nullable: true })
  @ValidateIf((_, v) => v !== null)
  @IsIn(['pass', 'revise', 'fail'])
  recommendation: 'pass' | 'revise' | 'fail' | null;
}

export class SavedReviewDraftDto extends ReviewDraftDto {
  @ApiProperty() updatedAt: string;
}

export class ReviewerScoreDto {
  @ApiProperty({ example: 'Reviewer 1' }) reviewer: string;
  @ApiProperty({ minimum: 0, maximum: 3 }) score: number;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
}

export class AdjudicationCriterionDto {
  @ApiProperty() criterion: string;
  @ApiProperty() text: string;
  @ApiProperty() narrative: string;
  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      required: ['id', 'fileName', 'mediaType'],
      properties: { id: { type: 'string' }, fileName: { type: 'string' }, mediaType: { type: 'string' } },
    },
  })
  attachments: Array<{ id: string; fileName: string; mediaType: string }>;
  @ApiProperty({ type: [ReviewerScoreDto] }) scores: ReviewerScoreDto[];
  @ApiProperty({ description: 'the highest score minus the lowest: 0 when the reviewers agree' }) spread: number;
}

export class ReviewerJudgementDto {
  @ApiProperty() reviewer: string;
  @ApiProperty() met: boolean;
  @ApiProperty({ type: String, nullable: true }) comment: string | null;
}

export class AdjudicationDomainDto {
  @ApiProperty() domain: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [ReviewerJudgementDto] }) judgements: ReviewerJudgementDto[];
  @ApiProperty({ description: 'the reviewers judged it differently' }) split: boolean;
}

export class ReviewerRecommendationDto {
  @ApiProperty() reviewer: string;
  @ApiProperty({ enum: ['pass', 'revise', 'fail'] }) recommendation: string;
}

/** One submission with both reviews side by side: what an adjudicator decides from. */
export class AdjudicationDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() credential: string;
  @ApiProperty() version: number;
  @ApiProperty() status: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty() candidate: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) context: Record<string, string>;
  @ApiProperty({ type: [ReviewerRecommendationDto] }) recommendations: ReviewerRecommendationDto[];
  @ApiProperty({ type: [AdjudicationDomainDto] }) domains: AdjudicationDomainDto[];
  @ApiProperty({ type: [AdjudicationCriterionDto] }) criteria: AdjudicationCriterionDto[];
}
