import { ApiProperty } from '@nestjs/swagger';

const REQUEUED = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description:
    'how many effects each part queued again: "outbox.lost", "outbox.retried", then each module reconciler ("certificates.passes" …)',
} as const;

export class QueueBacklogDto {
  @ApiProperty({ description: 'the BullMQ queue' }) name: string;
  @ApiProperty({ type: 'integer' }) waiting: number;
  @ApiProperty({ type: 'integer' }) active: number;
  @ApiProperty({ type: 'integer', description: 'waiting for their time (reminders, deadlines) or for a retry' }) delayed: number;
  @ApiProperty({ type: 'integer', description: 'failed jobs BullMQ still keeps' }) failed: number;
  @ApiProperty({ type: 'integer', description: 'completed jobs BullMQ still keeps' }) completed: number;
}

export class OutboxSummaryDto {
  @ApiProperty({ type: 'integer', description: 'rows not yet handed to Redis (Redis down, or the relay behind)' }) unpublished: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when the oldest of them was written' })
  oldestUnpublishedAt: string | null;
  @ApiProperty({ type: 'integer', description: 'handed to Redis and neither completed nor failed yet' }) open: number;
  @ApiProperty({ type: 'integer', description: 'exhausted their attempts and not completed since' }) failed: number;
}

export class FailedJobDto {
  @ApiProperty({ format: 'uuid', description: 'the outbox row (also the BullMQ job id)' }) id: string;
  @ApiProperty() jobName: string;
  @ApiProperty() queue: string;
  @ApiProperty({ format: 'date-time', description: 'when the job was due' }) runAt: string;
  @ApiProperty({ format: 'date-time', description: 'when it last exhausted its attempts' }) failedAt: string;
  @ApiProperty({ type: 'integer', description: 'how many times it has failed so far' }) failures: number;
  @ApiProperty({ type: String, nullable: true, description: 'the last error' }) error: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "the payload's ids (its …Id fields), which name the records the job is about",
  })
  payloadIds: Record<string, string>;
}

export class ReconcileRunDto {
  @ApiProperty({ format: 'date-time' }) startedAt: string;
  @ApiProperty({ format: 'date-time' }) finishedAt: string;
  @ApiProperty({ enum: ['start', 'schedule', 'admin'], description: 'worker start, the periodic pass, or an administrator' })
  trigger: 'start' | 'schedule' | 'admin';
  @ApiProperty({ description: 'Redis had lost its data (every open job was looked for again)' }) redisReset: boolean;
  @ApiProperty(REQUEUED) requeued: Record<string, number>;
  @ApiProperty({ type: String, nullable: true, description: 'why the run stopped short' }) error: string | null;
}

export class JobsOverviewDto {
  @ApiProperty({ type: [QueueBacklogDto], nullable: true, description: 'null when Redis did not answer within 2 seconds' })
  queues: QueueBacklogDto[] | null;
  @ApiProperty() redisUp: boolean;
  @ApiProperty({ type: OutboxSummaryDto }) outbox: OutboxSummaryDto;
  @ApiProperty({ type: [FailedJobDto], description: 'newest failure first, at most 100' }) failedJobs: FailedJobDto[];
  @ApiProperty({ type: [ReconcileRunDto], description: 'newest first, at most 10' }) lastRuns: ReconcileRunDto[];
}

export class RetryOutcomeDto {
  @ApiProperty({ enum: ['retried'] }) outcome: 'retried';
}

export class ReconcileResultDto {
  @ApiProperty({ description: 'Redis had lost its data (every open job was looked for again)' }) redisReset: boolean;
  @ApiProperty(REQUEUED) requeued: Record<string, number>;
  @ApiProperty({ type: String, nullable: true, description: 'why the run stopped short' }) error: string | null;
}
