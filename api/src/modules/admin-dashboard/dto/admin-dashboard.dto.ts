import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** The dashboard's period; both days are read as UTC days and both are included. */
export class DashboardQueryDto {
  @ApiPropertyOptional({ description: 'first day (UTC), YYYY-MM-DD; default: 29 days before `to`', example: '2026-11-01' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  from?: string;

  @ApiPropertyOptional({ description: 'last day (UTC, included), YYYY-MM-DD; default: today', example: '2026-11-30' })
  @IsOptional()
  @IsString()
  @MaxLength(10)
  to?: string;
}

export class DashboardPeriodDto {
  @ApiProperty({ example: '2026-11-01', description: 'first day (UTC)' }) from: string;
  @ApiProperty({ example: '2026-11-30', description: 'last day (UTC), included' }) to: string;
  @ApiProperty({ example: 30, description: 'days in the period, both ends included' }) days: number;
}

export class CandidateFiguresDto {
  @ApiProperty({ description: 'accounts with the candidate role created in the period' }) registered: number;
}

export class AttemptDayDto {
  @ApiProperty({ example: '2026-11-14', description: 'UTC day the attempts started' }) day: string;
  @ApiProperty() started: number;
  @ApiProperty({ description: 'of those started that day: submitted or closed at the deadline, and scored' }) submitted: number;
  @ApiProperty() passed: number;
}

export class ScoreBucketDto {
  @ApiProperty({ example: 70, description: 'lowest score of the bucket, percent' }) min: number;
  @ApiProperty({ example: 79, description: 'highest score of the bucket, percent (the last bucket includes 100)' }) max: number;
  @ApiProperty({ example: '70–79' }) label: string;
  @ApiProperty({ description: 'scored attempts started in the period with a score in the bucket' }) count: number;
}

export class AttemptFiguresDto {
  @ApiProperty({ description: 'AIDA attempts started in the period' }) started: number;
  @ApiProperty({ description: "of those: scored (status 'submitted', or 'expired' and scored at the deadline)" }) submitted: number;
  @ApiProperty({ description: 'of those scored: passed' }) passed: number;
  @ApiProperty({ description: 'of those scored: failed (passed is false)' }) failed: number;
  @ApiProperty({ type: Number, nullable: true, description: 'passed / scored, 0–1; null when none was scored' })
  passRate: number | null;
  @ApiProperty({ type: [AttemptDayDto], description: 'one entry per day of the period, in order, zeros included' })
  perDay: AttemptDayDto[];
  @ApiProperty({ type: [ScoreBucketDto], description: 'ten buckets: 0–9, 10–19, …, 90–100' })
  scoreDistribution: ScoreBucketDto[];
}

export class StageCountDto {
  @ApiProperty({
    example: 'in review',
    description: "the pipeline board's stage: 'in review', 'adjudication', 'decided: pass', 'decided: revise', 'decided: fail'",
  })
  stage: string;
  @ApiProperty() count: number;
}

export class ReviewTurnaroundDto {
  @ApiProperty({ description: 'reviews submitted in the period' }) completed: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'median days from the offer of the assignment to the submitted review (one decimal); null without reviews',
  })
  medianDays: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: '90th percentile of the same days (linear interpolation); null without reviews',
  })
  p90Days: number | null;
  @ApiProperty({ description: 'accepted assignments past their due date without a submitted review, now' }) overdueNow: number;
}

export class PortfolioFiguresDto {
  @ApiProperty({ type: [StageCountDto], description: 'every submission now, by stage; every stage listed, zeros included' })
  byStage: StageCountDto[];
  @ApiProperty({ description: 'submissions now, all stages' }) total: number;
  @ApiProperty({ type: ReviewTurnaroundDto }) reviewTurnaround: ReviewTurnaroundDto;
}

export class StatusCountDto {
  @ApiProperty({ example: 'completed' }) status: string;
  @ApiProperty() count: number;
}

export class OutcomeCountDto {
  @ApiProperty({ example: 'pass' }) outcome: string;
  @ApiProperty() count: number;
}

export class PanelFiguresDto {
  @ApiProperty({ description: 'bookings whose interview starts in the period, all statuses' }) bookings: number;
  @ApiProperty({
    type: [StatusCountDto],
    description: 'the same bookings by status (booked, completed, cancelled, no_show_candidate, no_show_assessor), zeros included',
  })
  bookingsByStatus: StatusCountDto[];
  @ApiProperty({ description: 'panel decisions made in the period' }) decided: number;
  @ApiProperty({ type: [OutcomeCountDto], description: 'the same decisions by outcome (pass, fail), zeros included' })
  outcomes: OutcomeCountDto[];
}

export class CertificateFiguresDto {
  @ApiProperty({ description: 'certificates issued in the period' }) issued: number;
  @ApiProperty({ description: 'active certificates now, not yet expired' }) active: number;
  @ApiProperty({ description: 'active certificates now past their expiry (the public record says expired)' }) expired: number;
  @ApiProperty({ description: 'suspended certificates now' }) suspended: number;
  @ApiProperty({ description: 'revoked certificates now (superseded ones included)' }) revoked: number;
  @ApiProperty({ description: 'active certificates not yet expired whose expiry is before `expiringBefore`' }) expiring: number;
  @ApiProperty({ example: '2027-02-28', description: '`to` + 90 days (UTC midnight): the exclusive upper bound on expiry' })
  expiringBefore: string;
}

export class AdminDashboardDto {
  @ApiProperty({ type: DashboardPeriodDto }) period: DashboardPeriodDto;
  @ApiProperty({ type: CandidateFiguresDto }) candidates: CandidateFiguresDto;
  @ApiProperty({ type: AttemptFiguresDto }) attempts: AttemptFiguresDto;
  @ApiProperty({ type: PortfolioFiguresDto }) portfolios: PortfolioFiguresDto;
  @ApiProperty({ type: PanelFiguresDto }) panels: PanelFiguresDto;
  @ApiProperty({ type: CertificateFiguresDto }) certificates: CertificateFiguresDto;
  @ApiProperty({ format: 'date-time', description: 'when the figures were read' }) generatedAt: string;
}
