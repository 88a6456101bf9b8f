import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PORTFOLIO_CREDENTIALS, type PortfolioCredential } from './portfolio.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
const blankToUndefined = ({ value }: { value: unknown }) => {
  const t = trim({ value });
  return t === '' ? undefined : t;
};

export const CONFLICT_KINDS = ['person', 'organisation'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export const CONFLICT_STATUSES = ['pending', 'confirmed', 'rejected', 'withdrawn'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];
export const CONFLICT_NAME_MAX = 200;
export const CONFLICT_REASON_MAX = 1000;
export const CONFLICT_NOTE_MAX = 1000;

export class DeclareConflictDto {
  @ApiProperty({ enum: CONFLICT_KINDS, description: 'a person, or an organisation (everyone who works for it)' })
  @IsIn(CONFLICT_KINDS, { message: `kind must be one of ${CONFLICT_KINDS.join(', ')}` })
  kind: ConflictKind;

  @ApiPropertyOptional({
    maxLength: CONFLICT_NAME_MAX,
    description: "the person's full name (a person needs a name or an e-mail), or the organisation's name (required)",
  })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(CONFLICT_NAME_MAX, { message: `name must be at most ${CONFLICT_NAME_MAX} characters` })
  name?: string;

  @ApiPropertyOptional({ maxLength: 254, description: "a person only: the person's e-mail address" })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ maxLength: 253, example: 'acme.example', description: 'an organisation only: its e-mail domain (optional)' })
  @IsOptional()
  @Transform(blankToUndefined)
  @IsString()
  @MaxLength(253)
  @Matches(/^(?!-)[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { message: 'emailDomain must be a domain such as acme.example (without @)' })
  emailDomain?: string;

  @ApiProperty({ maxLength: CONFLICT_REASON_MAX, description: 'the relation that makes them unfit to judge you (required)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason is required: say what the relation is' })
  @MaxLength(CONFLICT_REASON_MAX, { message: `reason must be at most ${CONFLICT_REASON_MAX} characters` })
  reason: string;
}

export class ConfirmConflictDto {
  @ApiPropertyOptional({ maxLength: CONFLICT_NOTE_MAX, description: 'shown to the candidate' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(CONFLICT_NOTE_MAX, { message: `note must be at most ${CONFLICT_NOTE_MAX} characters` })
  note?: string;
}

export class RejectConflictDto {
  @ApiProperty({ maxLength: CONFLICT_NOTE_MAX, description: 'why, shown to the candidate (required)' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'note is required: tell the candidate why' })
  @MaxLength(CONFLICT_NOTE_MAX, { message: `note must be at most ${CONFLICT_NOTE_MAX} characters` })
  note: string;
}

export class ConflictQueryDto {
  @ApiPropertyOptional({ enum: CONFLICT_STATUSES, default: 'pending' })
  @IsOptional()
  @IsIn(CONFLICT_STATUSES)
  status?: ConflictStatus;
}

/** What the candidate sees of their declaration: never whom it matched (candidates never see reviewer identities). */
export class ConflictDeclarationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: PORTFOLIO_CREDENTIALS }) credential: PortfolioCredential;
  @ApiProperty({ enum: CONFLICT_KINDS }) kind: ConflictKind;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'a person: their e-mail address' }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'an organisation: its e-mail domain' }) emailDomain: string | null;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: CONFLICT_STATUSES, description: 'only a confirmed declaration keeps anyone from judging the portfolio' })
  status: ConflictStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the administrator's note (required when rejected)" })
  decisionNote: string | null;
}

export class ConflictDeclarationListDto {
  @ApiProperty({ type: [ConflictDeclarationDto], description: 'newest first, withdrawn ones included' })
  declarations: ConflictDeclarationDto[];
  @ApiProperty({ description: 'how many declarations the portfolio may hold (CONFLICT_DECLARATIONS_MAX); withdrawn ones do not count' })
  max: number;
  @ApiProperty({ description: 'how many more may be declared now' })
  remaining: number;
}

export class MatchedStaffDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() fullName: string;
  @ApiProperty() email: string;
  @ApiProperty() organisation: string;
}

export class AdminConflictDeclarationDto extends ConflictDeclarationDto {
  @ApiProperty({ format: 'uuid' }) candidateId: string;
  @ApiProperty() candidateName: string;
  @ApiProperty() candidateEmail: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) decidedBy: string | null;
  @ApiProperty({
    type: [MatchedStaffDto],
    description: 'reviewers/assessors the declaration matches (worked out when declared, again when confirmed)',
  })
  matchedReviewers: MatchedStaffDto[];
}
