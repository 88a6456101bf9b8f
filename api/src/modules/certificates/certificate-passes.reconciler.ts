import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { CertificatesRepository } from './certificates.repository';

/** Passes looked at per reconciliation pass; the rest wait for the next one. */
const BATCH = 500;

/**
 * Every standing pass of a holder who may receive a certificate has one. A pass whose IssueCertificate job
 * finished without a certificate (a row completed by hand, data from before completion was recorded, a producer
 * that wrote no row) is queued again exactly as CredentialEvents.recordPass queues it; issuing is idempotent per
 * source, so a duplicate costs one no-op run.
 */
@Injectable()
@Reconciler()
export class CertificatePassesReconciler implements ReconcilerInstance {
  readonly name = 'certificates.passes';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly certificates: CertificatesRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const recordedBefore = new Date(now.getTime() - this.config.reconcile.graceMs);
    let requeued = 0;
    for (const credentialEventId of await this.certificates.unissuedPasses(recordedBefore, BATCH)) {
      if (await this.requeue(credentialEventId)) requeued += 1;
    }
    return requeued;
  }

  private requeue(credentialEventId: string): Promise<boolean> {
    return this.outbox.enqueueUnlessOpen(JobName.IssueCertificate, { credentialEventId });
  }
}
