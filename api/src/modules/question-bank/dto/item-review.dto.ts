import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DIFFICULTIES } from '../bank-files';

export const REVIEW_VERDICTS = ['approve', 'changes_requested'] as const;
export const STAGE_TARGETS = ['pretest', 'active', 'retired'] as const;

export class SubmitItemReviewDto {
  @ApiProperty({ enum: REVIEW_VERDICTS })
  @IsIn(REVIEW_VERDICTS)
  verdict: (typeof REVIEW_VERDICTS)[number];

  @ApiProperty({ description: 'the keyed option is the one best answer, defensible from the criterion' })
  @IsBoolean()
  keyConfirmed: boolean;

  @ApiProperty({ description: 'nothing but competence finds the key: options alike in form and length, no echo of the criterion' })
  @IsBoolean()
  cueingOk: boolean;

  @ApiProperty({ example: 'D04.2', description: 'the criterion the reviewer would tag the item with' })
  @Matches(/^D0[1-8]\.[1-5]$/, { message: 'criterion must be a criterion code such as D04.2' })
  criterion: string;

  @ApiProperty({ enum: DIFFICULTIES, description: 'the difficulty the reviewer would give it' })
  @IsIn(DIFFICULTIES)
  difficulty: (typeof DIFFICULTIES)[number];

  @ApiPropertyOptional({ maxLength: 4000, description: 'required when requesting changes or when the key or cueing check fails' })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  comment?: string;
}

export class ItemCommentDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body: string;
}

export class ChangeItemStageDto {
  @ApiProperty({ enum: STAGE_TARGETS })
  @IsIn(STAGE_TARGETS)
  to: (typeof STAGE_TARGETS)[number];

  @ApiPropertyOptional({ maxLength: 1000, description: 'required to retire an item, or to activate one without a pretest' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class ItemReviewRecordDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() reviewer: string;
  @ApiProperty({ enum: REVIEW_VERDICTS }) verdict: string;
  @ApiProperty() keyConfirmed: boolean;
  @ApiProperty() cueingOk: boolean;
  @ApiProperty() criterion: string;
  @ApiProperty() difficulty: string;
  @ApiProperty() comment: string;
  @ApiProperty() createdAt: string;
}

export class ItemCommentRecordDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() author: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: string;
}

export class ItemStageRecordDto {
  @ApiProperty() version: number;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() by: string;
  @ApiProperty() comment: string;
  @ApiProperty() createdAt: string;
}

export class OptionCuesDto {
  @ApiProperty() text: string;
  @ApiProperty() key: boolean;
  @ApiProperty() rationale: string;
  @ApiProperty({ description: 'characters' }) length: number;
  @ApiProperty({ description: '1 = longest … 4 = shortest' }) lengthRank: number;
  @ApiProperty({ type: [String], description: 'cue word families the option contains (justifying, absolute, hedge, negation)' }) cues: string[];
  @ApiProperty({ description: 'PSF-wording words the option repeats' }) psfOverlap: number;
}

export class ItemForReviewDto {
  @ApiProperty() id: string;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty() criterionText: string;
  @ApiProperty() difficulty: string;
  @ApiProperty() status: string;
  @ApiProperty() version: number;
  @ApiProperty() versionId: string;
  @ApiProperty({ type: String, nullable: true }) author: string | null;
  @ApiProperty() stem: string;
  @ApiProperty({ type: [OptionCuesDto] }) options: OptionCuesDto[];
  @ApiProperty() reference: string;
  @ApiProperty() notes: string;
  @ApiProperty({ description: 'approving reviews of the current version' }) approvals: number;
  @ApiProperty({ description: 'you wrote this item, so you cannot review it' }) youAreAuthor: boolean;
  @ApiProperty({ type: ItemReviewRecordDto, nullable: true }) yourReview: ItemReviewRecordDto | null;
  @ApiProperty({ type: [ItemReviewRecordDto], description: 'other reviews: shown once you have submitted yours (admins always see them)' })
  reviews: ItemReviewRecordDto[];
  @ApiProperty({ description: 'reviews hidden until you submit yours' }) hiddenReviews: number;
  @ApiProperty({ type: [ItemCommentRecordDto] }) comments: ItemCommentRecordDto[];
  @ApiProperty({ type: [ItemStageRecordDto] }) stages: ItemStageRecordDto[];
  @ApiProperty({ description: 'responses gathered by the current version in finished attempts' }) responses: number;
}

export class ReviewQueueEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() domain: string;
  @ApiProperty() criterion: string;
  @ApiProperty() difficulty: string;
  @ApiProperty() status: string;
  @ApiProperty() version: number;
  @ApiProperty() stem: string;
  @ApiProperty() approvals: number;
  @ApiProperty() changesRequested: number;
  @ApiProperty({ enum: ['needs_review', 'reviewed', 'adopted'], description: 'adopted: in service without platform reviews' }) evidence: string;
  @ApiProperty() reviewedByYou: boolean;
  @ApiProperty() youAreAuthor: boolean;
}
