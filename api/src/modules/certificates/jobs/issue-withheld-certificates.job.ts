import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CredentialEvents } from '../credential-events';

/**
 * A reactivated account (users module): passes whose certificate was withheld while it was deactivated
 * are queued for issue again. Idempotent: a pass that has its certificate is not queued, and the issuing
 * job checks again that the pass stands and the holder may receive it.
 */
@Injectable()
@JobHandler(JobName.IssueWithheldCertificates)
export class IssueWithheldCertificatesJob implements JobHandlerInstance<JobName.IssueWithheldCertificates> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly credentialEvents: CredentialEvents,
  ) {}

  async handle({ userId }: JobPayloads[JobName.IssueWithheldCertificates]): Promise<void> {
    await this.dataSource.transaction((tx) => this.credentialEvents.issueWithheld(tx, userId));
  }
}
