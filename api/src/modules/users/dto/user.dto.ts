import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn } from 'class-validator';
import { needsSecondFactor, Role, ROLES, User } from '../entities/user.entity';

export class SecondFactorDto {
  @ApiProperty({ description: 'TOTP (authenticator app) sign-in is on' }) totp: boolean;
  @ApiProperty({ description: 'the account has at least one passkey (WebAuthn)' }) passkey: boolean;
  @ApiProperty({ description: 'a staff account (admin or reviewer): it must have a second factor before it can do anything else' })
  required: boolean;
  @ApiProperty({ description: 'the account has a second factor (TOTP or a passkey)' }) enabled: boolean;
  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'GET /api/me only: until when this session may do actions that need a recent second factor (step-up) without ' +
      'asking again; null when it must prove one first',
  })
  stepUpUntil?: string | null;
}

/** Where the TOTP state comes from: the entity's timestamp, or the flag the request's user was loaded with. */
type SecondFactorState = { totpEnabledAt?: Date | null; totpEnabled?: boolean; secondFactorEnabled?: boolean; passkeyEnabled?: boolean };
/** Likewise for the address: the entity's timestamp, or the request user's flag. */
type EmailState = { emailVerifiedAt?: Date | null; emailVerified?: boolean };

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'ada@example.org' }) email: string;
  @ApiProperty({ example: 'Ada Lovelace' }) fullName: string;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: Role[];
  @ApiProperty({ description: 'the address is confirmed; until then exams, portfolio submission, panel booking and certificates wait' })
  emailVerified: boolean;
  @ApiProperty({ type: SecondFactorDto }) secondFactor: SecondFactorDto;

  static from(user: Pick<User, 'id' | 'email' | 'fullName' | 'roles'> & SecondFactorState & EmailState): UserDto {
    return {
      id: user.id,
      email: user.email,
      fullName: user.fullName,
      roles: user.roles,
      emailVerified: user.emailVerified ?? user.emailVerifiedAt != null,
      secondFactor: {
        totp: user.totpEnabled ?? user.totpEnabledAt != null,
        // An entity (a sign-in's answer) does not know its passkeys: false there unless the caller says so.
        passkey: user.passkeyEnabled ?? false,
        required: needsSecondFactor(user.roles),
        enabled: user.secondFactorEnabled ?? user.totpEnabled ?? user.totpEnabledAt != null,
      },
    };
  }
}

export class SetRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true, example: ['candidate', 'reviewer'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}
