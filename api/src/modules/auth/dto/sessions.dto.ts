import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { SECOND_FACTOR_CODE, SECOND_FACTOR_CODE_MESSAGE } from './second-factor.dto';

const SIGN_IN_METHODS = ['password', 'totp', 'recovery_code', 'passkey'] as const;

/** One signed-in device, as the Sessions page lists it. */
export class SessionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time', description: 'when the person signed in' }) createdAt: string;
  @ApiProperty({ format: 'date-time', description: 'when the session was last used (to the minute)' }) lastUsedAt: string;
  @ApiProperty({ format: 'date-time', description: 'the end of its absolute lifetime (SESSION_MAX_AGE_DAYS from sign-in)' })
  expiresAt: string;
  @ApiProperty({ example: 'Firefox on Windows', description: 'the browser and system, approximately, from the user agent' })
  client: string;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'the address it signed in from' })
  ipAddress: string | null;
  @ApiProperty({
    enum: SIGN_IN_METHODS,
    nullable: true,
    description: 'the strongest factor shown at sign-in; null for sessions from before this was recorded',
  })
  signInMethod: (typeof SIGN_IN_METHODS)[number] | null;
  @ApiProperty({ description: 'the session making this request' }) current: boolean;
}

export class EndedSessionsDto {
  @ApiProperty({ example: 2, description: 'how many sessions were signed out' }) ended: number;
}

export class StepUpDto {
  @ApiProperty({ example: '123456', description: 'a current code from the authenticator app, or an unused recovery code (used up)' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Matches(SECOND_FACTOR_CODE, { message: `otp ${SECOND_FACTOR_CODE_MESSAGE}` })
  otp: string;
}
