import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRecovery } from './job-recovery';
import { JobWorker } from './job-worker';
import { OutboxJobsRepository } from './outbox-jobs.repository';
import { OutboxReconciler } from './outbox-reconciler';
import { OutboxRelay } from './outbox-relay';
import { OutboxService } from './outbox.service';
import { QueueRegistry } from './queue-registry';
import { ReconcileRunsRepository } from './reconcile-runs.repository';
import { ReconciliationService } from './reconciliation.service';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [
    OutboxService,
    QueueRegistry,
    OutboxRelay,
    JobWorker,
    OutboxJobsRepository,
    JobRecovery,
    OutboxReconciler,
    ReconcileRunsRepository,
    ReconciliationService,
  ],
  exports: [OutboxService, QueueRegistry, OutboxRelay, JobWorker, JobRecovery, ReconciliationService],
})
export class QueueModule {}
