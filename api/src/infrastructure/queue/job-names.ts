import type { JobsOptions } from 'bullmq';

/** Every BullMQ queue the platform uses. */
export enum QueueName {
  Notifications = 'notifications',
}

/** Every job the platform runs; each has exactly one handler class (see `@JobHandler`). */
export enum JobName {
  SendWelcomeEmail = 'send-welcome-email',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.SendWelcomeEmail]: QueueName.Notifications,
};

// Retries and backoff live here and nowhere else.
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
};
