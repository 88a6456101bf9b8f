import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export const PORTFOLIO_CREDENTIALS = ['CPAP', 'CPAA'] as const;
export type PortfolioCredential = (typeof PORTFOLIO_CREDENTIALS)[number];

export class DeploymentContextDto {
  @ApiPropertyOptional({ description: 'the production AI system the portfolio documents' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  system?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  organisation?: string;

  @ApiPropertyOptional({ description: 'models and providers used (vendor-neutral wording welcome)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  modelsUsed?: string;

  @ApiPropertyOptional({ description: 'who is affected by the system and how many' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  usersAffected?: string;

  @ApiPropertyOptional({ enum: RISK_LEVELS })
  @IsOptional()
  @IsIn(RISK_LEVELS)
  riskLevel?: (typeof RISK_LEVELS)[number];
}

export class EvidenceNarrativeDto {
  @ApiProperty({ description: 'how the deployment meets this criterion', maxLength: 20_000 })
  @IsString()
  @MaxLength(20_000)
  narrative: string;
}

export class AttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() criterion: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ description: 'detected from the content' }) mediaType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty() sha256: string;
  @ApiProperty() uploadedAt: string;
}

export class CriterionEvidenceDto {
  @ApiProperty({ example: 'D04.2' }) criterion: string;
  @ApiProperty() text: string;
  @ApiProperty() narrative: string;
  @ApiProperty({ type: [AttachmentDto] }) attachments: AttachmentDto[];
  @ApiProperty({ type: String, nullable: true }) updatedAt: string | null;
}

export class SubmissionSummaryDto {
  @ApiProperty() id: string;
  @ApiProperty() version: number;
  @ApiProperty() status: string;
  @ApiProperty() submittedAt: string;
}

export class PortfolioLimitsDto {
  @ApiProperty({ description: 'largest file, in bytes (MAX_ATTACHMENT_MB)' }) maxAttachmentBytes: number;
  @ApiProperty({ description: 'attachments a portfolio may list (MAX_ATTACHMENTS_PER_PORTFOLIO)' }) maxAttachments: number;
  @ApiProperty({ description: 'all attachments together, in bytes (MAX_PORTFOLIO_MB)' }) maxPortfolioBytes: number;
  @ApiProperty({ type: [String], example: ['.pdf', '.png'], description: 'file types accepted, by extension' }) fileTypes: string[];
}

export class PortfolioDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: PORTFOLIO_CREDENTIALS }) credential: PortfolioCredential;
  @ApiProperty({ type: DeploymentContextDto }) context: DeploymentContextDto;
  @ApiProperty({ type: [CriterionEvidenceDto], description: 'every criterion of the credential’s domains, in framework order' })
  evidence: CriterionEvidenceDto[];
  @ApiProperty({ type: [SubmissionSummaryDto] }) submissions: SubmissionSummaryDto[];
  @ApiProperty() updatedAt: string;
  @ApiProperty({ description: 'false while a version is under review or once the portfolio is decided for good' }) editable: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'why the draft cannot be changed now' }) lockedReason: string | null;
  @ApiProperty({ type: PortfolioLimitsDto }) limits: PortfolioLimitsDto;
}

/** Where a candidate stands with one portfolio, read without opening a draft (the dashboard's view). */
export class PortfolioOverviewDto {
  @ApiProperty({ enum: PORTFOLIO_CREDENTIALS }) credential: PortfolioCredential;
  @ApiProperty({ type: [String], description: 'credentials still to pass before the portfolio opens (empty: open)', example: ['AIDA'] })
  opensAfter: string[];
  @ApiProperty({ description: 'a draft exists' }) started: boolean;
  @ApiProperty({ description: 'criteria the portfolio covers' }) criteria: number;
  @ApiProperty({ description: 'criteria with a narrative written in the draft' }) written: number;
  @ApiProperty({ type: SubmissionSummaryDto, nullable: true, description: 'the newest submission' })
  latestSubmission: SubmissionSummaryDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'when the draft last changed' }) updatedAt: string | null;
}

export class FeedbackDecisionDto {
  @ApiProperty({ enum: ['pass', 'revise', 'fail'] }) outcome: string;
  @ApiProperty() decidedAt: string;
  @ApiProperty({ type: String, nullable: true }) resubmitUntil: string | null;
}

export class CriterionFeedbackDto {
  @ApiProperty() criterion: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: Number, nullable: true, description: 'mean of the reviewers’ 0–3 scores' }) score: number | null;
  @ApiProperty({ type: [String] }) comments: string[];
}

export class DomainFeedbackDto {
  @ApiProperty() code: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [Boolean] }) met: boolean[];
  @ApiProperty({ type: [String] }) comments: string[];
}

export class AppealDto {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['open', 'upheld', 'rejected'] }) status: string;
  @ApiProperty() filedAt: string;
  @ApiPropertyOptional({ type: String, nullable: true }) outcomeNote?: string | null;
}

export class AppealInputDto {
  @ApiProperty({ description: 'why the decision should be reconsidered' })
  @IsString()
  @MaxLength(10_000)
  @Matches(/\S{3}/, { message: 'grounds are required' })
  grounds: string;
}

export class SubmittedEvidenceDto {
  @ApiProperty() criterion: string;
  @ApiProperty({ description: 'the criterion as the framework words it' }) text: string;
  @ApiProperty() narrative: string;
  @ApiProperty({ type: [AttachmentDto] }) attachments: AttachmentDto[];
}

/** A submitted version as it was frozen: what its reviewers read. */
export class SubmissionContentDto {
  @ApiProperty() submissionId: string;
  @ApiProperty({ enum: PORTFOLIO_CREDENTIALS }) credential: string;
  @ApiProperty() version: number;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'the version before this one, to compare with' }) previousSubmissionId:
    string | null;
  @ApiProperty({ type: DeploymentContextDto }) context: DeploymentContextDto;
  @ApiProperty({ type: [SubmittedEvidenceDto] }) evidence: SubmittedEvidenceDto[];
}

export class FeedbackDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() credential: string;
  @ApiProperty() version: number;
  @ApiProperty() status: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: FeedbackDecisionDto, nullable: true }) decision: FeedbackDecisionDto | null;
  @ApiProperty({ type: AppealDto, nullable: true }) appeal: AppealDto | null;
  @ApiProperty({ type: [CriterionFeedbackDto] }) criteria: CriterionFeedbackDto[];
  @ApiProperty({ type: [DomainFeedbackDto] }) domains: DomainFeedbackDto[];
}
