import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthProbes } from './health-probes';

@Module({ controllers: [HealthController], providers: [HealthProbes] })
export class HealthModule {}
