import { ApiProperty } from '@nestjs/swagger';
import { AuditEntryDto } from '../../audit/dto/audit-entries.dto';
import { CERTIFICATE_STATES } from '../../certificates/certificate-lifecycle';
import { ATTEMPT_STATES } from '../../exams/attempt-lifecycle';
import { SUBMISSION_STATES } from '../../portfolios/submission-lifecycle';

const SIGN_IN_METHODS = ['password', 'totp', 'recovery_code', 'passkey'] as const;

/** A live session of the person (their own Sessions page shows the same, with the address). */
export class PersonSessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'when they signed in' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'last seen: when the session was last used (to the minute)' }) lastUsedAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
  @ApiProperty({ example: 'Firefox on Windows', description: 'the browser and system, approximately' }) client: string;
  @ApiProperty({ enum: SIGN_IN_METHODS, nullable: true }) signInMethod: (typeof SIGN_IN_METHODS)[number] | null;
}

export class PersonAttemptDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'AIDA' }) examCode: string;
  @ApiProperty({ enum: ATTEMPT_STATES }) status: string;
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) deadline: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) submittedAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) scorePercent: number | null;
  @ApiProperty({ type: Boolean, nullable: true }) passed: boolean | null;
}

export class PersonSubmissionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: SUBMISSION_STATES }) status: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
}

export class PersonPortfolioDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['CPAP', 'CPAA'] }) credential: string;
  @ApiProperty({ type: [PersonSubmissionDto], description: 'submitted versions, newest first; empty while it is a draft' })
  submissions: PersonSubmissionDto[];
}

export class PersonCertificateDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() number: string;
  @ApiProperty({ example: 'AIDA' }) credential: string;
  @ApiProperty({ enum: [...CERTIFICATE_STATES, 'expired'], description: 'as the verify page shows it' }) status: string;
  @ApiProperty({ format: 'date-time' }) issuedAt: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class PersonAuditTrailDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'the newest entries by the person or about their account' }) items: AuditEntryDto[];
  @ApiProperty({ description: 'all such entries (the audit viewer filtered on `person` lists them)' }) total: number;
}

/** `GET /api/admin/users/:userId/activity`: what the person has done on the platform, for their page. */
export class PersonActivityDto {
  @ApiProperty({ type: [PersonSessionDto], description: 'live sessions, newest first' }) sessions: PersonSessionDto[];
  @ApiProperty({ type: [PersonAttemptDto], description: 'AIDA attempts, newest first' }) attempts: PersonAttemptDto[];
  @ApiProperty({ type: [PersonPortfolioDto] }) portfolios: PersonPortfolioDto[];
  @ApiProperty({ type: [PersonCertificateDto], description: 'newest first' }) certificates: PersonCertificateDto[];
  @ApiProperty({ type: PersonAuditTrailDto }) auditTrail: PersonAuditTrailDto;
}
