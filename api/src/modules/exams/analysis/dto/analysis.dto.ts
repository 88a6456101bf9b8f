import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { attributeValues, CANDIDATE_ATTRIBUTE_NAMES } from '../../candidate-attributes';
import { PASS_MARK_SOURCES } from '../../dto/exam.dto';

const WINDOW_PATTERN = /^(all|current|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export class AnalysisQueryDto {
  @ApiPropertyOptional({ description: '`current` (default), `all`, or an exam window id' })
  @IsOptional()
  @Matches(WINDOW_PATTERN, { message: 'window must be "current", "all" or an exam window id' })
  window?: string;
}

export class DifQueryDto extends AnalysisQueryDto {
  @ApiProperty({ enum: CANDIDATE_ATTRIBUTE_NAMES })
  @IsIn(CANDIDATE_ATTRIBUTE_NAMES)
  attribute: string;

  @ApiProperty({ description: 'the value whose group is the reference group' })
  @IsString()
  reference: string;

  @ApiProperty({ description: 'the value whose group is the focal group' })
  @IsString()
  focal: string;

  @ApiPropertyOptional({
    minimum: 20,
    maximum: 10_000,
    default: 100,
    description: 'candidates each group needs per item before Mantel–Haenszel is computed',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(20)
  @Max(10_000)
  minGroup?: number;
}

export class ExamWindowDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: String, nullable: true, description: 'null for the window the platform started with' }) startsAt: string | null;
  @ApiProperty() passMarkPercent: number;
  @ApiProperty({ enum: PASS_MARK_SOURCES }) source: (typeof PASS_MARK_SOURCES)[number];
  @ApiProperty({ type: String, nullable: true }) studyId: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedBy: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ description: 'attempts started in this window' }) attempts: number;
  @ApiProperty() current: boolean;
}

export class OptionAnalysisDto {
  @ApiProperty({ description: 'the option as written in the bank file: a, b, c or d' }) option: string;
  @ApiProperty() text: string;
  @ApiProperty() key: boolean;
  @ApiProperty({ description: 'share of candidates who chose it' }) share: number;
  @ApiProperty({ type: Number, nullable: true, description: 'point-biserial of choosing it with the rest score' }) correlation:
    number | null;
}

export const ITEM_FLAGS = [
  'too_hard',
  'too_easy',
  'low_discrimination',
  'weak_distractor',
  'positive_distractor',
  'insufficient_data',
] as const;

export class ItemAnalysisDto {
  @ApiProperty({ example: 'D04-025' }) itemId: string;
  @ApiProperty() versionId: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: 'this version is the item’s current one' }) current: boolean;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty({ enum: ['easy', 'medium', 'hard'] }) difficulty: string;
  @ApiProperty({ enum: ['draft', 'pretest', 'active', 'retired'] }) status: string;
  @ApiProperty({ enum: ['scored', 'pretest', 'both'], description: 'how the responses counted' }) role: 'scored' | 'pretest' | 'both';
  @ApiProperty() stem: string;
  @ApiProperty({ description: 'responses analysed' }) n: number;
  @ApiProperty({ type: Number, nullable: true, description: 'p: proportion correct' }) facility: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'corrected point-biserial (item against the rest score)' }) pointBiserial:
    number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'upper–lower 27% discrimination index' }) upperLower: number | null;
  @ApiProperty({ description: 'share left unanswered' }) omitted: number;
  @ApiProperty({ description: 'times drawn onto a form (all windows)' }) exposure: number;
  @ApiProperty({ type: [OptionAnalysisDto] }) options: OptionAnalysisDto[];
  @ApiProperty({ enum: ITEM_FLAGS, isArray: true }) flags: string[];
}

export class ScoreDistributionDto {
  @ApiProperty({ description: 'finished attempts' }) n: number;
  @ApiProperty({ description: 'scored questions per form' }) maxScore: number;
  @ApiProperty({ type: Number, nullable: true }) mean: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'sample standard deviation' }) sd: number | null;
  @ApiProperty({ type: [Number], description: 'attempts per raw score, index 0 … maxScore' }) histogram: number[];
  @ApiProperty({ description: 'raw score needed to pass at the window’s pass mark' }) cutScore: number;
  @ApiProperty() passMarkPercent: number;
  @ApiProperty({ type: Number, nullable: true }) passRate: number | null;
}

export class ReliabilityDto {
  @ApiProperty({ type: Number, nullable: true, description: 'KR-20, pooled over the forms candidates sat' }) kr20: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'standard error of measurement, in raw score points' }) sem: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Subkoviak agreement: the chance a candidate gets the same pass/fail on a parallel form',
  })
  decisionAgreement: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Cohen’s kappa of that agreement' }) decisionKappa: number | null;
}

export class FlagLimitsDto {
  @ApiProperty() minN: number;
  @ApiProperty() minFacility: number;
  @ApiProperty() maxFacility: number;
  @ApiProperty() minPointBiserial: number;
  @ApiProperty() minDistractorShare: number;
  @ApiProperty() maxDistractorCorrelation: number;
}

export class CandidateAttributeDto {
  @ApiProperty() name: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'value → label' }) values: Record<string, string>;
}

export class ExamAnalysisDto {
  @ApiProperty({ type: ExamWindowDto, nullable: true, description: 'null when all windows are analysed together' })
  window: ExamWindowDto | null;
  @ApiProperty({ type: [ExamWindowDto] }) windows: ExamWindowDto[];
  @ApiProperty({ type: ScoreDistributionDto }) scores: ScoreDistributionDto;
  @ApiProperty({ type: ReliabilityDto }) reliability: ReliabilityDto;
  @ApiProperty({ type: [ItemAnalysisDto] }) items: ItemAnalysisDto[];
  @ApiProperty({ type: FlagLimitsDto }) flagLimits: FlagLimitsDto;
  @ApiProperty({ type: [CandidateAttributeDto], description: 'attributes candidates may declare, for DIF' })
  attributes: CandidateAttributeDto[];
}

export class DifItemDto {
  @ApiProperty() itemId: string;
  @ApiProperty() versionId: string;
  @ApiProperty() nReference: number;
  @ApiProperty() nFocal: number;
  @ApiProperty({ type: Number, nullable: true }) alphaMH: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'MH D-DIF (ETS delta); negative favours the reference group' }) deltaMH:
    number | null;
  @ApiProperty({ type: Number, nullable: true }) chiSquare: number | null;
  @ApiProperty({ type: Number, nullable: true }) pValue: number | null;
  @ApiProperty({ type: String, nullable: true, enum: ['A', 'B', 'C'], description: 'ETS category; null when a group is too small' })
  category: string | null;
}

export class DifAnalysisDto {
  @ApiProperty() attribute: string;
  @ApiProperty() reference: string;
  @ApiProperty() focal: string;
  @ApiProperty({ description: 'attempts whose candidate declared the reference value' }) referenceCandidates: number;
  @ApiProperty() focalCandidates: number;
  @ApiProperty() minGroup: number;
  @ApiProperty({ description: 'items with both groups large enough to compare' }) analysedItems: number;
  @ApiProperty({ type: [DifItemDto] }) items: DifItemDto[];
}

export class CandidateAttributesDto {
  @ApiPropertyOptional({ type: String, nullable: true, enum: attributeValues('firstLanguage'), description: 'null withdraws the answer' })
  @IsOptional()
  @IsIn(attributeValues('firstLanguage'))
  firstLanguage?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, enum: attributeValues('experience'), description: 'null withdraws the answer' })
  @IsOptional()
  @IsIn(attributeValues('experience'))
  experience?: string | null;
}
