import { Module } from '@nestjs/common';
import { TotpSecretBox } from '../../common/auth/secret-box';
import { AccountTokensModule } from '../auth/account-tokens.module';
import { SessionsModule } from '../auth/sessions.module';
import { IndependenceModule } from '../independence/independence.module';
import { AccountAdminController } from './account-admin.controller';
import { AccountAdminService } from './account-admin.service';
import { AdminUsersController, MeController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [IndependenceModule, SessionsModule, AccountTokensModule],
  controllers: [MeController, AdminUsersController, AccountAdminController],
  providers: [UsersRepository, UsersService, TotpSecretBox, AccountAdminService],
  exports: [UsersService, UsersRepository, TotpSecretBox],
})
export class UsersModule {}
