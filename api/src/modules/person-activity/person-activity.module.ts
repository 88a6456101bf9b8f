import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { PersonActivityController } from './person-activity.controller';
import { PersonActivityRepository } from './person-activity.repository';
import { PersonActivityService } from './person-activity.service';

/** What a person has done on the platform, for the administrators' page about them; it owns no table. */
@Module({
  imports: [SessionsModule],
  controllers: [PersonActivityController],
  providers: [PersonActivityRepository, PersonActivityService],
})
export class PersonActivityModule {}
