import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../common/auth/authenticated.decorator';
import { HealthProbes, type MigrationState, type Reachability, type WorkerState } from './health-probes';

const MIGRATION_STATES: MigrationState[] = ['applied', 'pending', 'unknown'];

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status: 'ok' | 'unavailable';
  @ApiProperty({ enum: ['up', 'down'] }) database: Reachability;
  @ApiProperty({ enum: MIGRATION_STATES, description: "'unknown' while the database has not answered since the process started" })
  migrations: MigrationState;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status: 'ok' | 'degraded';
  @ApiProperty({ enum: ['up', 'down'] }) database: Reachability;
  @ApiProperty({ enum: MIGRATION_STATES }) migrations: MigrationState;
  @ApiProperty({ enum: ['up', 'down'] }) redis: Reachability;
  @ApiProperty({ enum: ['up', 'down', 'unknown'], description: "a worker consumes every queue; 'unknown' without Redis" })
  worker: WorkerState;
}

/**
 * Answers for orchestrators and people. Liveness and readiness stay apart so that a database outage
 * takes a replica out of the load balancer (not ready) without getting it restarted (still live),
 * and Redis counts for neither: saves, submits and sign-ins work without it, jobs wait in the outbox.
 */
@ApiTags('operations')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly probes: HealthProbes) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process serves HTTP (no dependency is checked)' })
  @ApiOkResponse({ type: LivenessDto })
  live(): LivenessDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: PostgreSQL answers within 2 s and every migration of this codebase is applied' })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ReadinessDto, description: 'the database is down or migrations are pending' })
  async ready(@Res({ passthrough: true }) res: Response): Promise<ReadinessDto> {
    const [database, migrations] = await Promise.all([this.probes.database(), this.probes.migrations()]);
    const ready = database === 'up' && migrations === 'applied';
    res.status(ready ? 200 : 503);
    return { status: ready ? 'ok' : 'unavailable', database, migrations };
  }

  @Get()
  @ApiOperation({ summary: 'Summary of every dependency; 503 only when PostgreSQL is down (nothing can be served)' })
  @ApiOkResponse({ type: HealthDto, description: "`status: 'degraded'` when anything is not up" })
  @ApiServiceUnavailableResponse({ type: HealthDto, description: 'PostgreSQL is down' })
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthDto> {
    const [database, migrations, [redis, worker]] = await Promise.all([
      this.probes.database(),
      this.probes.migrations(),
      this.probes.redisReachable().then(async (redis) => [redis, redis === 'up' ? await this.probes.worker() : 'unknown'] as const),
    ]);
    const allUp = database === 'up' && migrations === 'applied' && redis === 'up' && worker === 'up';
    res.status(database === 'up' ? 200 : 503);
    return { status: allUp ? 'ok' : 'degraded', database, migrations, redis, worker };
  }
}
