import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { PanelsRepository } from './panels.repository';

/**
 * A passed CPAA portfolio opens the panel stage. The reviews module records the decision with an
 * `OpenPanelStage` outbox row; this runs from that job and writes the interview row, the candidate's
 * invitation to book and the audit entry in one transaction, once per submission (a unique constraint).
 */
@Injectable()
export class PanelStage {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly panels: PanelsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  /** Does nothing when the submission is not (or no longer) a passed CPAA portfolio, e.g. overridden to fail meanwhile. */
  async openForPassedPortfolio(submissionId: string, actorId: string | null): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      const candidateId = await this.panels.passedCpaaCandidate(tx, submissionId);
      if (candidateId) await this.open(tx, { candidateId, submissionId, actorId });
    });
  }

  private async open(tx: EntityManager, stage: { candidateId: string; submissionId: string; actorId: string | null }): Promise<void> {
    const interviewId = await this.panels.insertInterview(tx, stage.candidateId, stage.submissionId);
    if (!interviewId) return;
    await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId, reason: 'book' });
    await this.audit.append(tx, {
      actorId: stage.actorId,
      action: 'panel.stage_opened',
      subjectType: 'panel_interview',
      subjectId: interviewId,
      data: { submissionId: stage.submissionId },
    });
  }
}
