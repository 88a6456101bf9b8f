import { ApiProperty } from '@nestjs/swagger';
import type { AuditRow } from '../audit.repository';

export class AuditLogEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() subjectType: string;
  @ApiProperty({ type: String, nullable: true }) subjectId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() hash: string;
  @ApiProperty({ enum: [1, 2], description: '1: plain SHA-256 (rows from before the keyed chain); 2: HMAC-SHA-256' })
  hashVersion: number;

  static from(row: AuditRow): AuditLogEntryDto {
    return {
      id: row.id,
      occurredAt: row.occurredAt.toISOString(),
      actorId: row.actorId,
      action: row.action,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      data: row.data as Record<string, unknown>,
      hash: row.hash,
      hashVersion: row.hashVersion,
    };
  }
}

export class AuditChainReportDto {
  @ApiProperty() valid: boolean;
  @ApiProperty() checkedRows: number;
  @ApiProperty({ type: String, nullable: true, description: 'id of the first row whose link does not hold' })
  firstBrokenId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
  @ApiProperty({ description: 'checkpoints of the head found outside the database and checked against the log' })
  checkpoints: number;
  @ApiProperty({ type: String, nullable: true }) lastCheckpointAt: string | null;
}
