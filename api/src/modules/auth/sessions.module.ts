import { Module } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';

/**
 * The sessions store on its own, so that every module that must end someone's access at once
 * (password change, deactivation, deletion, e-mail change) can import it: `SessionsRepository.endAllForUser`.
 */
@Module({
  providers: [SessionsRepository],
  exports: [SessionsRepository],
})
export class SessionsModule {}
