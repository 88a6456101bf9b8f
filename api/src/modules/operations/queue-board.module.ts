import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions.module';
import { QueueBoardController } from './queue-board.controller';
import { QueueBoardService } from './queue-board.service';

/** Bull Board at /admin/queues for administrators (HTTP only); http-app.ts mounts its router (queue-board.router.ts). */
@Module({ imports: [SessionsModule], controllers: [QueueBoardController], providers: [QueueBoardService], exports: [QueueBoardService] })
export class QueueBoardModule {}
