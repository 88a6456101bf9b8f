import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FeeDto {
  @ApiProperty({ description: 'in the currency below; 0 = no charge', example: 350 }) amount: number;
  @ApiProperty({ description: 'ISO 4217', example: 'EUR' }) currency: string;
}

export class CredentialDomainDto {
  @ApiProperty({ example: 'D01' }) code: string;
  @ApiProperty({ example: 'Data Governance & PII' }) title: string;
  @ApiProperty({ description: 'criteria the domain has', example: 5 }) criteria: number;
}

export class CredentialRequirementDto {
  @ApiProperty({ enum: ['AIDA', 'CPAP', 'CPAA'] }) code: string;
  @ApiProperty() name: string;
}

/** Figures the platform knows itself: those that do not apply to a credential are absent. */
export class CredentialFactsDto {
  @ApiPropertyOptional({ description: 'AIDA: scored questions per attempt' }) questionCount?: number;
  @ApiPropertyOptional({ description: 'AIDA: the time limit in force, before any accommodation' }) timeLimitMinutes?: number;
  @ApiPropertyOptional({ description: 'AIDA: the pass mark in force' }) passMarkPercent?: number;
  @ApiPropertyOptional({ description: 'AIDA: the wait after a failed attempt, in days (may be fractional)' }) retakeCooldownDays?: number;
  @ApiPropertyOptional({ description: 'portfolios: criteria the portfolio covers' }) criteriaCount?: number;
  @ApiPropertyOptional({ description: 'portfolios: days a reviewer has for a review once they accept it' }) reviewDueDays?: number;
  @ApiPropertyOptional({ description: 'CPAA: the panel interview, in minutes' }) interviewMinutes?: number;
}

export class ProgrammeCredentialDto {
  @ApiProperty({ enum: ['AIDA', 'CPAP', 'CPAA'] }) code: string;
  @ApiProperty({ example: 'PSF CPAP Practitioner Certification' }) name: string;
  @ApiProperty({ example: 'portfolio-review' }) kind: string;
  @ApiProperty() headline: string;
  @ApiProperty({ description: "the framework publisher's summary" }) summary: string;
  @ApiProperty({ description: 'what the certificate attests' }) attests: string;
  @ApiProperty({ description: 'who it is for' }) audience: string;
  @ApiProperty({ type: [String] }) steps: string[];
  @ApiProperty({ type: [CredentialRequirementDto], description: 'credentials to pass first' }) requires: CredentialRequirementDto[];
  @ApiProperty({ type: [CredentialDomainDto] }) domains: CredentialDomainDto[];
  @ApiProperty({ description: 'how long a certificate stays valid' }) validityDays: number;
  @ApiProperty({ type: FeeDto }) fee: FeeDto;
  @ApiPropertyOptional() feeNote?: string;
  @ApiProperty({ type: CredentialFactsDto }) facts: CredentialFactsDto;
}

export class ProgrammeDto {
  @ApiProperty() title: string;
  @ApiProperty() lead: string;
  @ApiProperty() audience: string;
  @ApiProperty({ type: [String] }) howItWorks: string[];
  @ApiProperty({ type: [ProgrammeCredentialDto] }) credentials: ProgrammeCredentialDto[];
  @ApiProperty({ description: 'must be shown wherever framework content is shown (CC BY 4.0)' }) attribution: string;
}
