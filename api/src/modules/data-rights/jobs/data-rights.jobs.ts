import { Injectable } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '../../../infrastructure/queue/job-handler.decorator';
import { JobName } from '../../../infrastructure/queue/job-names';
import type { JobPayloads } from '../../../infrastructure/queue/job-payloads';
import { AccountDeletionService } from '../account-deletion.service';
import { DataExportBuilder } from '../data-export.service';
import { RetentionService } from '../retention.service';

/** Builds a requested export and mails its link (idempotent: a built export is not rebuilt). */
@Injectable()
@JobHandler(JobName.BuildDataExport)
export class BuildDataExportJob implements JobHandlerInstance<JobName.BuildDataExport> {
  constructor(private readonly builder: DataExportBuilder) {}

  async handle({ exportId }: JobPayloads[JobName.BuildDataExport]): Promise<void> {
    await this.builder.build(exportId);
  }
}

/** After an account's erasure: its attachment files, stored mail and export archives leave storage. */
@Injectable()
@JobHandler(JobName.EraseAccountFiles)
export class EraseAccountFilesJob implements JobHandlerInstance<JobName.EraseAccountFiles> {
  constructor(private readonly deletion: AccountDeletionService) {}

  async handle({ userId }: JobPayloads[JobName.EraseAccountFiles]): Promise<void> {
    await this.deletion.eraseFiles(userId);
  }
}

/** Hourly: deletes what the retention settings no longer allow. */
@Injectable()
@JobHandler(JobName.ApplyRetention)
export class ApplyRetentionJob implements JobHandlerInstance<JobName.ApplyRetention> {
  constructor(private readonly retention: RetentionService) {}

  async handle(): Promise<void> {
    await this.retention.apply();
  }
}
