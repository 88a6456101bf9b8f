import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { ProgrammeCatalogue } from './programme-catalogue';

/** Provides the one ProgrammeCatalogue, loaded from the question bank folder when the app boots. */
@Global()
@Module({
  providers: [
    {
      provide: ProgrammeCatalogue,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ProgrammeCatalogue.load(config.bankDir, config.certificateValidityDays),
    },
  ],
  exports: [ProgrammeCatalogue],
})
export class ProgrammeModule {}
