import { ApiProperty } from '@nestjs/swagger';
import { AuditLogEntry } from '../entities/audit-log-entry.entity';

export class AuditLogEntryDto {
  @ApiProperty() id: string;
  @ApiProperty() occurredAt: string;
  @ApiProperty({ type: String, nullable: true }) actorId: string | null;
  @ApiProperty() action: string;
  @ApiProperty() subjectType: string;
  @ApiProperty({ type: String, nullable: true }) subjectId: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty() hash: string;

  static from(row: AuditLogEntry): AuditLogEntryDto {
    return {
      id: row.id,
      occurredAt: row.occurredAt.toISOString(),
      actorId: row.actorId,
      action: row.action,
      subjectType: row.subjectType,
      subjectId: row.subjectId,
      data: row.data,
      hash: row.hash,
    };
  }
}

export class AuditChainReportDto {
  @ApiProperty() valid: boolean;
  @ApiProperty() checkedRows: number;
  @ApiProperty({ type: String, nullable: true, description: 'id of the first row whose link does not hold' })
  firstBrokenId: string | null;
  @ApiProperty({ type: String, nullable: true }) reason: string | null;
}
