import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';
import { RECOVERY_CODE_COUNT } from '../recovery-codes';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** A current code from the authenticator app, or an unused recovery code. */
export const SECOND_FACTOR_CODE = /^(\d{6}|[A-Za-z2-7]{5}-?[A-Za-z2-7]{5})$/;
export const SECOND_FACTOR_CODE_MESSAGE = 'must be the 6-digit code from your authenticator app or a recovery code (xxxxx-xxxxx)';

export class TotpEnrolmentDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'the TOTP secret in base32, to type into an authenticator app' })
  secret: string;

  @ApiProperty({
    example: 'otpauth://totp/PSF%20Certification%20Body:ada%40example.org?secret=…&issuer=PSF%20Certification%20Body',
    description: 'the same secret as an otpauth:// URI, for a QR code',
  })
  otpauthUri: string;
}

export class ConfirmTotpDto {
  @ApiProperty({ example: '123456', description: 'the code the authenticator app shows now' })
  @Transform(trim)
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be the 6-digit code from your authenticator app' })
  code: string;
}

export class SecondFactorCodeDto {
  @ApiProperty({ example: '123456', description: 'a current code from the authenticator app, or an unused recovery code' })
  @Transform(trim)
  @IsString()
  @Matches(SECOND_FACTOR_CODE, { message: `code ${SECOND_FACTOR_CODE_MESSAGE}` })
  code: string;
}

export class RecoveryCodesDto {
  @ApiProperty({
    type: [String],
    example: ['abcde-fgh23', 'k7mnp-qrs45'],
    description: `${RECOVERY_CODE_COUNT} one-time codes, shown only now (stored hashed); each signs in once in place of an app code`,
  })
  recoveryCodes: string[];
}
