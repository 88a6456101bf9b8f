import { Module } from '@nestjs/common';
import { AccountTokensRepository } from './account-tokens.repository';

/**
 * The mailed account links on their own, so that a module which must spend them in its own transaction
 * (an administrator's forced password reset) can import them without the accounts feature module.
 */
@Module({
  providers: [AccountTokensRepository],
  exports: [AccountTokensRepository],
})
export class AccountTokensModule {}
