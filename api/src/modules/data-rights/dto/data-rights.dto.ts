import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Equals, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { DataExportRow, DataExportStatus } from '../data-rights.repository';

const STATUSES: DataExportStatus[] = ['queued', 'ready', 'failed', 'expired'];

export class DataExportDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: STATUSES, description: 'queued → ready (link e-mailed) → expired; failed when the job could not build it' })
  status: DataExportStatus;
  @ApiProperty() requestedAt: string;
  @ApiProperty({ type: String, nullable: true }) completedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'the link and the file stop working then (DATA_EXPORT_TTL_HOURS)' })
  expiresAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) sizeBytes: number | null;

  static from(row: DataExportRow): DataExportDto {
    return {
      id: row.id,
      status: row.status as DataExportStatus,
      requestedAt: row.createdAt.toISOString(),
      completedAt: row.completedAt?.toISOString() ?? null,
      expiresAt: row.expiresAt?.toISOString() ?? null,
      sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    };
  }
}

export class DownloadQueryDto {
  @ApiProperty({ description: 'the token from the e-mailed link /account/data-export/:id?token=…' })
  @IsString()
  @IsNotEmpty({ message: 'token is required' })
  @MaxLength(200)
  token: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'the current password of the account' })
  @IsString()
  @IsNotEmpty({ message: 'password is required' })
  @MaxLength(256)
  password: string;

  @ApiProperty({ enum: ['DELETE'], description: 'the word DELETE, typed by the person to confirm' })
  @Equals('DELETE', { message: 'confirm must be the word DELETE' })
  confirm: 'DELETE';
}

export class AccountDeletedDto {
  @ApiProperty() message: string;
}

export class OpenWorkDto {
  @ApiProperty() statusCode: number;
  @ApiProperty() message: string;
  @ApiProperty({ enum: ['open_work', 'last_admin'] }) reason: string;
  @ApiPropertyOptional() submissionsUnderReview?: number;
}
