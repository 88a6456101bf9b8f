import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsDay, SearchableListQueryDto, trimmed } from '../../../common/lists/list-query';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Role, ROLES } from '../entities/user.entity';
import { PERSON_STATUSES, type PersonRow, type PersonStatus } from '../users.repository';

export const PEOPLE_SORTS = ['createdAt', 'fullName', 'email'] as const;
export type PeopleSort = (typeof PEOPLE_SORTS)[number];

/** `GET /api/admin/users`: search by name or address, filter by role, status and joining date, sort, one page at a time. */
export class PeopleQueryDto extends SearchableListQueryDto {
  @ApiPropertyOptional({ description: 'part of the name or e-mail address (case-insensitive)', example: 'lovelace' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  declare query?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: PERSON_STATUSES })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(PERSON_STATUSES)
  status?: PersonStatus;

  @ApiPropertyOptional({ format: 'date', description: 'accounts created on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: 'accounts created on or before this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  createdTo?: string;

  @ApiPropertyOptional({ enum: PEOPLE_SORTS, default: 'createdAt', description: 'default order: newest first; names and addresses A–Z' })
  @IsOptional()
  @IsIn(PEOPLE_SORTS)
  sort?: PeopleSort;
}

export class PersonDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.org' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) fullName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty() emailVerified: boolean;
  @ApiProperty({ description: 'TOTP is on or the account has a passkey' }) secondFactorEnabled: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'set while the account is deactivated' })
  deactivatedAt: string | null;
  @ApiProperty({ description: 'an administrator forced a password reset that the owner has not completed yet' })
  passwordResetRequired: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;

  static from(p: PersonRow): PersonDto {
    return {
      id: p.id,
      email: p.email,
      fullName: p.fullName,
      roles: p.roles,
      emailVerified: p.emailVerifiedAt !== null,
      secondFactorEnabled: p.totpEnabledAt !== null || p.hasPasskey,
      deactivatedAt: p.deactivatedAt?.toISOString() ?? null,
      passwordResetRequired: p.passwordResetRequiredAt !== null,
      createdAt: p.createdAt.toISOString(),
    };
  }
}

export class PersonSecondFactorDto {
  @ApiProperty() totp: boolean;
  @ApiProperty() passkey: boolean;
}

export class PersonDetailDto extends PersonDto {
  @ApiProperty({ type: String, nullable: true, description: 'why the account was deactivated (while it is)' })
  deactivatedReason: string | null;
  @ApiProperty({ type: PersonSecondFactorDto }) secondFactor: PersonSecondFactorDto;

  static override from(p: PersonRow): PersonDetailDto {
    return {
      ...PersonDto.from(p),
      deactivatedReason: p.deactivatedReason ?? null,
      secondFactor: { totp: p.totpEnabledAt !== null, passkey: p.hasPasskey },
    };
  }
}

export class PeoplePageDto {
  @ApiProperty({ type: [PersonDto] }) items: PersonDto[];
  @ApiProperty({ description: 'matches in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

/** Every change of a person's standing carries the administrator's reason (audited; a deactivation's is kept with the account). */
export class StandingReasonDto {
  @ApiProperty({
    description: 'why; kept in the audit log (and with the account while it is deactivated)',
    example: 'Left the certification body',
  })
  @IsString()
  @MaxLength(1000)
  @Matches(/\S/, { message: 'reason is required' })
  reason: string;
}
