import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, MaxLength } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RequestEmailChangeDto {
  @ApiProperty({ example: 'ada.king@example.org', description: 'the address to move the account to; it is confirmed by a link sent to it' })
  @Transform(trim)
  @IsEmail({}, { message: 'newEmail must be a valid email address' })
  @MaxLength(254)
  newEmail: string;

  @ApiProperty({ description: 'the current password' })
  @IsString()
  @IsNotEmpty({ message: 'password is required' })
  @MaxLength(256)
  password: string;
}

export class ConfirmEmailChangeDto {
  @ApiProperty({ description: 'the token from the link /confirm-email-change?token=…' })
  @IsString()
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(200)
  token: string;
}
