import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { JobsOverviewDto, ReconcileResultDto, RetryOutcomeDto } from './dto/jobs.dto';
import { OperationsService } from './operations.service';

/** The jobs page: background work, failed jobs and reconciliation (issue #15). No personal data: no step-up. */
@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/jobs')
export class AdminJobsController {
  constructor(private readonly operations: OperationsService) {}

  @Get()
  @ApiOkResponse({
    type: JobsOverviewDto,
    description: 'queues, outbox, failed jobs and the latest reconciliation runs; answers while Redis is down',
  })
  overview(): Promise<JobsOverviewDto> {
    return this.operations.overview();
  }

  @Post('reconcile')
  @HttpCode(200)
  @ApiOkResponse({
    type: ReconcileResultDto,
    description: 'the pass ran and what it queued again; `error` says what stopped it short (e.g. a worker was running a pass)',
  })
  @ApiConflictResponse({ description: 'a pass started from this page is running already' })
  reconcile(@CurrentUser() actor: AuthUser): Promise<ReconcileResultDto> {
    return this.operations.reconcile(actor);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: RetryOutcomeDto, description: 'the job is queued again' })
  @ApiNotFoundResponse({ description: 'no such job' })
  @ApiConflictResponse({ description: 'the job has not failed (it completed, or was retried already)' })
  retry(@CurrentUser() actor: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<RetryOutcomeDto> {
    return this.operations.retry(actor, id);
  }
}
