import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobName } from '../../infrastructure/queue/job-names';
import { OutboxService } from '../../infrastructure/queue/outbox.service';
import { AuditService } from '../audit/audit.service';

/**
 * The panels module's door for the review workflow: a passed CPAA portfolio opens the panel stage.
 * The interview row, the candidate's invitation to book and the audit entry are written here, in
 * the deciding transaction, once per submission (a unique constraint).
 */
@Injectable()
export class PanelStage {
  constructor(
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async open(tx: EntityManager, stage: { candidateId: string; submissionId: string; actorId: string | null }): Promise<void> {
    const [interview] = await tx.query(
      `INSERT INTO panel_interviews (candidate_id, submission_id) VALUES ($1, $2)
       ON CONFLICT (submission_id) DO NOTHING RETURNING id`,
      [stage.candidateId, stage.submissionId],
    );
    if (!interview) return;
    await this.outbox.enqueue(tx, JobName.NotifyPanelCandidate, { interviewId: interview.id as string, reason: 'book' });
    await this.audit.append(tx, {
      actorId: stage.actorId,
      action: 'panel.stage_opened',
      subjectType: 'panel_interview',
      subjectId: interview.id as string,
      data: { submissionId: stage.submissionId },
    });
  }
}
