import { Module } from '@nestjs/common';
import { AdminJobsController } from './operations.controller';
import { OperationsRepository } from './operations.repository';
import { OperationsService } from './operations.service';

/** The administrators' view of background work (HTTP only: the worker runs the jobs and reconciliation itself). */
@Module({ controllers: [AdminJobsController], providers: [OperationsService, OperationsRepository] })
export class OperationsModule {}
