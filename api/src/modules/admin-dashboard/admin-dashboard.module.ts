import { Module } from '@nestjs/common';
import { AdminDashboardController } from './admin-dashboard.controller';
import { AdminDashboardRepository } from './admin-dashboard.repository';
import { AdminDashboardService } from './admin-dashboard.service';

/** The administrators' dashboard (HTTP only; it reads other modules' data through their readers and writes nothing). */
@Module({ controllers: [AdminDashboardController], providers: [AdminDashboardService, AdminDashboardRepository] })
export class AdminDashboardModule {}
