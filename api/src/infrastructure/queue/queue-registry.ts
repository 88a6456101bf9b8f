import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { DEFAULT_JOB_OPTIONS, QueueName } from './job-names';
import { redisOptions } from './redis-connection';

/** Producer-side BullMQ queues, created lazily, failing fast while Redis is unreachable. */
@Injectable()
export class QueueRegistry implements OnModuleDestroy {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        prefix: this.config.redisPrefix,
        // No offline queue: an add while Redis is down must fail so the outbox row stays unpublished.
        connection: redisOptions(this.config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', () => undefined); // connection errors surface through add(); the relay logs them
      this.queues.set(name, queue);
    }
    return queue;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }
}
