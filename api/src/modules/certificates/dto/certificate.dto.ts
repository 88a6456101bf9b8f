import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { CERTIFICATE_STATES } from '../certificate-lifecycle';

export const CERTIFICATE_STATUSES = [...CERTIFICATE_STATES, 'expired'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export class CredentialRefDto {
  @ApiProperty({ example: 'AIDA' }) code: string;
  @ApiProperty() name: string;
}

export class CertificateDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'PSF-7K2QM-X9D4T-R' }) number: string;
  @ApiProperty({ type: CredentialRefDto }) credential: CredentialRefDto;
  @ApiProperty() holderName: string;
  @ApiProperty() issuedAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty() verifyUrl: string;
  @ApiProperty() credentialUrl: string;
  @ApiProperty() psfVersion: string;
  @ApiProperty() issuerName: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'set when a name change re-issued this certificate: the number that replaces it (this one then reads revoked)',
  })
  supersededBy: string | null;
}

export class AdminCertificateDto extends CertificateDto {
  @ApiProperty({ type: String, nullable: true }) statusReason: string | null;
  @ApiProperty() statusListIndex: number;
}

export class PublicCertificateDto {
  @ApiProperty() number: string;
  @ApiProperty({ type: CredentialRefDto }) credential: CredentialRefDto;
  @ApiProperty() holderName: string;
  @ApiProperty() issuedAt: string;
  @ApiProperty() expiresAt: string;
  @ApiProperty({ enum: CERTIFICATE_STATUSES }) status: CertificateStatus;
  @ApiProperty() verifyUrl: string;
  @ApiProperty() credentialUrl: string;
  @ApiPropertyOptional({
    description:
      'present only when a name change re-issued this certificate: the number that replaces it (status reads revoked, not for cause)',
  })
  supersededBy?: string;
}

export class StatusChangeDto {
  @ApiProperty({ example: 'Exam misconduct confirmed by the appeals panel' })
  @IsString()
  @IsNotEmpty({ message: 'reason is required' })
  @MaxLength(1000)
  reason: string;
}
