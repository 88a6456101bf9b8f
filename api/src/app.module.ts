import { Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { AuthGuard } from './common/auth/auth.guard';
import { SecondFactorEnrolmentGuard } from './common/auth/second-factor-enrolment.guard';
import { HttpExceptionFilter } from './common/errors/http-exception.filter';
import { ConfigModule } from './infrastructure/config/config.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { LoggingModule } from './infrastructure/logging/logging.module';
import { MetricsModule } from './infrastructure/metrics/metrics.module';
import { QueueModule } from './infrastructure/queue/queue.module';
import { AdminDashboardModule } from './modules/admin-dashboard/admin-dashboard.module';
import { AuditModule } from './modules/audit/audit.module';
import { AccountsModule } from './modules/auth/accounts.module';
import { AuthModule } from './modules/auth/auth.module';
import { HealthModule } from './modules/health/health.module';
import { OperationsModule } from './modules/operations/operations.module';
import { QueueBoardModule } from './modules/operations/queue-board.module';
import { NotificationsModule } from './modules/notifications/notifications.module';
import { CertificatesModule } from './modules/certificates/certificates.module';
import { DataRightsModule } from './modules/data-rights/data-rights.module';
import { ExamsModule } from './modules/exams/exams.module';
import { PortfoliosModule } from './modules/portfolios/portfolios.module';
import { QuestionBankModule } from './modules/question-bank/question-bank.module';
import { PanelsModule } from './modules/panels/panels.module';
import { PersonActivityModule } from './modules/person-activity/person-activity.module';
import { ProgrammeModule } from './modules/programme/programme.module';
import { ProgrammePagesModule } from './modules/programme-pages/programme-pages.module';
import { ReviewsModule } from './modules/reviews/reviews.module';
import { SelfAssessmentModule } from './modules/self-assessment/self-assessment.module';
import { UsersModule } from './modules/users/users.module';
import { NameChangesModule } from './modules/users/name-changes.module';
import { EmailChangeModule } from './modules/auth/email-change.module';

/** Modules shared by both entrypoints (HTTP API and worker). */
export const CORE_MODULES = [ConfigModule, LoggingModule, DatabaseModule, QueueModule, AuditModule, ProgrammeModule];
// Modules with job handlers or services the worker needs. Not AuthModule: Passport strategies are
// process-wide, and the worker serves no HTTP.
export const FEATURE_MODULES = [
  UsersModule,
  NameChangesModule,
  EmailChangeModule,
  NotificationsModule,
  QuestionBankModule,
  ExamsModule,
  CertificatesModule,
  PortfoliosModule,
  ReviewsModule,
  PanelsModule,
  AccountsModule,
  SelfAssessmentModule,
  DataRightsModule,
];

@Module({
  imports: [
    ...CORE_MODULES,
    ...FEATURE_MODULES,
    AuthModule,
    HealthModule,
    OperationsModule,
    QueueBoardModule,
    MetricsModule,
    ProgrammePagesModule,
    AdminDashboardModule,
    PersonActivityModule,
  ],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    // After AuthGuard (global guards run in this order): staff without a second factor may only enrol one.
    { provide: APP_GUARD, useClass: SecondFactorEnrolmentGuard },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        transform: true,
        validationError: { target: false, value: false },
      }),
    },
  ],
})
export class AppModule {}

@Module({ imports: [...CORE_MODULES, ...FEATURE_MODULES] })
export class WorkerModule {}
