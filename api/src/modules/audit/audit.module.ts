import { Global, Module } from '@nestjs/common';
import { AuditCheckpointStore } from './audit-checkpoint-file';
import { AuditCheckpoints } from './audit-checkpoints.service';
import { AuditKeys } from './audit-keys';
import { AuditReadInterceptor } from './audit-read';
import { AuditViewerService } from './audit-viewer.service';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { WriteAuditCheckpointJob } from './jobs/write-audit-checkpoint.job';

@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditRepository,
    AuditService,
    AuditViewerService,
    AuditKeys,
    AuditCheckpointStore,
    AuditCheckpoints,
    AuditReadInterceptor,
    WriteAuditCheckpointJob,
  ],
  exports: [AuditService, AuditViewerService, AuditCheckpoints, AuditReadInterceptor],
})
export class AuditModule {}
