import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsDay, SearchableListQueryDto, trimmed } from '../../../common/lists/list-query';
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

export const CERTIFICATE_SORTS = ['issuedAt', 'expiresAt', 'number', 'holder'] as const;
export type CertificateSort = (typeof CERTIFICATE_SORTS)[number];

/** `GET /api/admin/certificates`: every certificate, searchable by holder or number, filtered by credential, status and dates. */
export class AdminCertificatesQueryDto extends SearchableListQueryDto {
  @ApiPropertyOptional({ description: "part of the holder's name or e-mail address, or of the certificate number (case-insensitive)" })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @MaxLength(200)
  declare query?: string;

  @ApiPropertyOptional({ example: 'AIDA', description: 'a credential code' })
  @IsOptional()
  @Transform(trimmed)
  @IsString()
  @Matches(/^[A-Z]{2,10}$/, { message: 'credential must be a credential code such as AIDA' })
  credential?: string;

  @ApiPropertyOptional({
    enum: CERTIFICATE_STATUSES,
    description: '`active` leaves out the expired ones; `expired` is an active certificate past its expiry',
  })
  @IsOptional()
  @Transform(trimmed)
  @IsIn(CERTIFICATE_STATUSES)
  status?: CertificateStatus;

  @ApiPropertyOptional({ format: 'date', description: 'issued on or after this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  issuedFrom?: string;

  @ApiPropertyOptional({ format: 'date', description: 'issued on or before this UTC day (YYYY-MM-DD)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  issuedTo?: string;

  @ApiPropertyOptional({ format: 'date', description: 'expiring before this UTC day begins (YYYY-MM-DD, exclusive)' })
  @IsOptional()
  @Transform(trimmed)
  @IsDay()
  expiringBefore?: string;

  @ApiPropertyOptional({
    enum: CERTIFICATE_SORTS,
    default: 'issuedAt',
    description: 'default order: latest issued first; numbers and holders A–Z',
  })
  @IsOptional()
  @IsIn(CERTIFICATE_SORTS)
  sort?: CertificateSort;
}

export class AdminCertificateRowDto extends AdminCertificateDto {
  @ApiProperty({ format: 'uuid', description: "the holder's account" }) holderId: string;
  @ApiProperty({ type: String, nullable: true, description: "the holder's account e-mail address (null once the account is erased)" })
  holderEmail: string | null;
}

export class AdminCertificatesPageDto {
  @ApiProperty({ type: [AdminCertificateRowDto] }) items: AdminCertificateRowDto[];
  @ApiProperty({ description: 'matches in all pages' }) total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
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
