import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPersonName } from '../../../common/validation/person-name';
import type { NameChangeRequest, NameChangeStatus, NameChangeWithRequester } from '../name-changes.repository';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\s+/g, ' ') : value);
export const NAME_CHANGE_STATUSES: NameChangeStatus[] = ['pending', 'approved', 'refused', 'cancelled'];
export const NAME_MAX = 200;

export class RequestNameChangeDto {
  @ApiProperty({ example: 'Ada King', description: 'the name as it should appear on certificates', maxLength: NAME_MAX })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'name is required' })
  @MaxLength(NAME_MAX, { message: `name must be at most ${NAME_MAX} characters` })
  @IsPersonName('name')
  name: string;

  @ApiProperty({ example: 'Married; deed poll attached to my e-mail to the certification body', maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'reason is required' })
  @MaxLength(1000, { message: 'reason must be at most 1000 characters' })
  reason: string;
}

export class ApproveNameChangeDto {
  @ApiPropertyOptional({ maxLength: 1000, description: 'shown to the candidate in the outcome e-mail' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  note?: string;
}

export class RefuseNameChangeDto {
  @ApiProperty({ maxLength: 1000, description: 'why, shown to the candidate in the outcome e-mail' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'note is required: tell the candidate why' })
  @MaxLength(1000)
  note: string;
}

export class NameChangeQueryDto {
  @ApiPropertyOptional({ enum: NAME_CHANGE_STATUSES })
  @IsOptional()
  @IsIn(NAME_CHANGE_STATUSES)
  status?: NameChangeStatus;
}

export class NameChangeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() currentName: string;
  @ApiProperty() requestedName: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: NAME_CHANGE_STATUSES }) status: NameChangeStatus;
  @ApiProperty() createdAt: string;
  @ApiProperty({ type: String, nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the administrator's note (required when refused)" })
  decisionNote: string | null;

  static from(r: NameChangeRequest): NameChangeDto {
    return {
      id: r.id,
      currentName: r.currentName,
      requestedName: r.requestedName,
      reason: r.reason,
      status: r.status,
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decisionNote: r.decisionNote,
    };
  }
}

export class AdminNameChangeDto extends NameChangeDto {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty() email: string;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) decidedBy: string | null;

  static fromAdmin(r: NameChangeWithRequester): AdminNameChangeDto {
    return { ...NameChangeDto.from(r), userId: r.userId, email: r.email, decidedBy: r.decidedBy };
  }
}

/** GET /api/me/name-change: the latest request, or null when there has never been one. */
export class MyNameChangeDto {
  @ApiProperty({ description: 'the name certificates carry now' }) currentName: string;
  @ApiProperty({ type: NameChangeDto, nullable: true }) latest: NameChangeDto | null;
}
