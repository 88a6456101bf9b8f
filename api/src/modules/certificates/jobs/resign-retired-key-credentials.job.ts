import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { CredentialKeyRetirementService } from '../credential-key-retirement.service';

/** A signing key was retired: the active and suspended credentials it signed are signed again with the current key. */
@Injectable()
@JobHandler(JobName.ResignRetiredKeyCredentials)
export class ResignRetiredKeyCredentialsJob implements JobHandlerInstance<JobName.ResignRetiredKeyCredentials> {
  constructor(private readonly retirement: CredentialKeyRetirementService) {}

  async handle({ kid }: JobPayloads[JobName.ResignRetiredKeyCredentials]): Promise<void> {
    await this.retirement.resignCredentials(kid);
  }
}
