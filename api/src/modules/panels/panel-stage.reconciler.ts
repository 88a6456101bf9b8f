import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { Reconciler, type ReconcilerInstance } from '../../infrastructure/queue/reconciler';
import { PanelsRepository } from './panels.repository';

/** Decisions looked at per reconciliation pass; the rest wait for the next one. */
const BATCH = 500;

/**
 * Every passed CPAA portfolio opens the panel stage. The reviews module queues OpenPanelStage with the decision;
 * a pass with no interview and no open row (the row lost, or completed without opening it) is queued again here,
 * as the decision queued it (the decider as actor). The job opens the stage once per submission and does nothing
 * when the decision is no longer a pass.
 */
@Injectable()
@Reconciler()
export class PanelStageReconciler implements ReconcilerInstance {
  readonly name = 'panels.stage';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly panels: PanelsRepository,
    private readonly outbox: OutboxService,
  ) {}

  async reconcile(now: Date): Promise<number> {
    const decidedBefore = new Date(now.getTime() - this.config.reconcile.graceMs);
    let requeued = 0;
    for (const pass of await this.panels.passedCpaaWithoutInterview(decidedBefore, BATCH)) {
      if (await this.requeue(pass.submissionId, pass.decidedBy)) requeued += 1;
    }
    return requeued;
  }

  private requeue(submissionId: string, actorId: string | null): Promise<boolean> {
    return this.outbox.enqueueUnlessOpen(JobName.OpenPanelStage, { submissionId, actorId }, { match: { submissionId } });
  }
}
