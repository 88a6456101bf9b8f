import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';
import { PanelsRepository } from './panels.repository';

/**
 * The panels module's door for the review workflow: a passed CPAA portfolio opens the panel stage.
 * The interview row, the candidate's invitation to book and the audit entry are written here, in
 * the deciding transaction, once per submission (a unique constraint).
 */
@Injectable()
export class PanelStage {
  constructor(
    private readonly panels: PanelsRepository,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async open(tx: EntityManager, stage: { candidateId: string; submissionId: string; actorId: string | null }): Promise<void> {
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
