import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayUnique, IsArray, IsBoolean, IsDateString, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';

export class AwayPeriodDto {
  @ApiProperty({ example: '2026-12-20' }) @IsDateString() from: string;
  @ApiProperty({ example: '2027-01-05' }) @IsDateString() to: string;
}

export class ReviewerProfileDto {
  @ApiProperty() @IsString() @MaxLength(300) organisation: string;

  @ApiProperty({ example: ['D04', 'D06'] })
  @IsArray()
  @ArrayUnique()
  @Matches(/^D0[1-8]$/, { each: true, message: 'expertise must list domain codes such as D04' })
  expertise: string[];

  @ApiProperty({ minimum: 1, maximum: 50 }) @IsInt() @Min(1) @Max(50) maxConcurrent: number;

  @ApiProperty({ type: [AwayPeriodDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => AwayPeriodDto)
  away: AwayPeriodDto[];
}

export class DeclineDto {
  @ApiPropertyOptional({ description: 'true when declining because of a conflict of interest' })
  @IsOptional()
  @IsBoolean()
  conflict?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) reason?: string;
}

export class AssignmentDto {
  @ApiProperty() id: string;
  @ApiProperty() submissionId: string;
  @ApiProperty({ enum: ['CPAP', 'CPAA'] }) credential: string;
  @ApiProperty() version: number;
  @ApiProperty({ enum: ['offered', 'accepted', 'completed', 'declined', 'expired', 'overdue'] }) status: string;
  @ApiProperty() offeredAt: string;
  @ApiProperty() respondBy: string;
  @ApiProperty({ type: String, nullable: true }) dueAt: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'hidden (null) in blind review' }) candidateName: string | null;
}
