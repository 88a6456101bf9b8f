import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobWorker } from './job-worker';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [OutboxService, QueueRegistry, OutboxRelay, JobWorker],
  exports: [OutboxService, QueueRegistry, OutboxRelay, JobWorker],
})
export class QueueModule {}
