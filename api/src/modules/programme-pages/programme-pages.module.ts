import { Module } from '@nestjs/common';
import { ExamsModule } from '../exams/exams.module';
import { ProgrammePagesController } from './programme-pages.controller';
import { ProgrammePagesService } from './programme-pages.service';

/** The public pages' reads of the programme: no tables, only the catalogue and the exam's settings in force. */
@Module({ imports: [ExamsModule], controllers: [ProgrammePagesController], providers: [ProgrammePagesService] })
export class ProgrammePagesModule {}
