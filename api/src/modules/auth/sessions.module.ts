import { Module } from '@nestjs/common';
import { SessionCheckCache } from './session-check-cache';
import { SessionsRepository } from './sessions.repository';

/**
 * The sessions store on its own, so that every module that must end someone's access at once
 * (password change, deactivation, deletion, e-mail change) can import it: `SessionsRepository.endAllForUser`.
 * One SessionCheckCache per process, shared by the check (JwtStrategy) and everything that ends sessions.
 */
@Module({
  providers: [SessionsRepository, SessionCheckCache],
  exports: [SessionsRepository, SessionCheckCache],
})
export class SessionsModule {}
