import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../../infrastructure/config/app-config';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { MailService } from '../../notifications/mail.service';
import { NameChangesRepository } from '../name-changes.repository';

const SIGNATURE = 'Production Safety Framework v1.0 by the Production AI Institute, licensed CC BY 4.0.';

/** Tells the person how their name change was decided (the re-issued certificates get mails of their own). */
@Injectable()
@JobHandler(JobName.SendNameChangeOutcome)
export class SendNameChangeOutcomeJob implements JobHandlerInstance<JobName.SendNameChangeOutcome> {
  constructor(
    private readonly requests: NameChangesRepository,
    private readonly mail: MailService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle({ nameChangeRequestId }: JobPayloads[JobName.SendNameChangeOutcome]): Promise<void> {
    const r = await this.requests.findWithRequester(nameChangeRequestId);
    if (!r || (r.status !== 'approved' && r.status !== 'refused')) return;
    const approved = r.status === 'approved';
    await this.mail.send({
      dedupeKey: `name-change-outcome:${r.id}`,
      template: `name-change-${r.status}`,
      to: r.email,
      subject: approved ? 'Your name change was approved' : 'Your name change was not approved',
      text: [
        `Hello ${approved ? r.requestedName : r.currentName},`,
        '',
        approved
          ? `Your request to change the name on your certificates from "${r.currentName}" to "${r.requestedName}" was approved.` +
            ' Each active certificate is re-issued under the new name with a new number; you will receive a message for each.' +
            ' The old numbers now show as superseded.'
          : `Your request to change the name on your certificates from "${r.currentName}" to "${r.requestedName}" was not approved.`,
        ...(r.decisionNote ? ['', `Note from the certification body: ${r.decisionNote}`] : []),
        '',
        `Your account: ${this.config.publicUrl}/account`,
        '',
        SIGNATURE,
      ].join('\n'),
    });
  }
}
