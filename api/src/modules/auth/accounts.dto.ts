import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength, MinLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class MessageDto {
  @ApiProperty({ example: 'Check your inbox' }) message: string;
}

export class VerifyEmailDto {
  @ApiProperty({ description: 'the token from the link /verify-email?token=…' })
  @IsString()
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(200)
  token: string;
}

export class EmailOnlyDto {
  @ApiProperty({ example: 'ada@example.org' })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'the token from the link /reset-password?token=…' })
  @IsString()
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(200)
  token: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'at least 12 characters and in no list of breached passwords' })
  @IsString()
  @MinLength(12, { message: 'password must be at least 12 characters long' })
  @MaxLength(256)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @IsNotEmpty({ message: 'currentPassword is required' })
  @MaxLength(256)
  currentPassword: string;

  @ApiProperty({ minLength: 12, maxLength: 256, description: 'at least 12 characters and in no list of breached passwords' })
  @IsString()
  @MinLength(12, { message: 'newPassword must be at least 12 characters long' })
  @MaxLength(256)
  newPassword: string;
}
