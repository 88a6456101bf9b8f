import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsPersonName } from '../../../common/validation/person-name';
import { UserDto } from '../../users/dto/user.dto';
import { SECOND_FACTOR_CODE, SECOND_FACTOR_CODE_MESSAGE } from './second-factor.dto';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.org' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 256 })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters long' })
  @MaxLength(256)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace', description: 'as it should appear on certificates' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'fullName is required' })
  @MaxLength(200)
  @IsPersonName('fullName')
  fullName: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.org' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({
    example: '123456',
    description:
      'second factor, for an account with TOTP on: the current 6-digit code from the authenticator app (RFC 6238), ' +
      'or an unused recovery code (xxxxx-xxxxx), which is used up',
  })
  // An empty field counts as no code, so a form may always send it.
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() || undefined : value))
  @IsOptional()
  @IsString()
  @Matches(SECOND_FACTOR_CODE, { message: `otp ${SECOND_FACTOR_CODE_MESSAGE}` })
  otp?: string;
}

export class AccessTokenDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ description: 'seconds until the access token expires' }) expiresIn: number;
}

export class LoginResponseDto extends AccessTokenDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
}
