import { Module } from '@nestjs/common';
import { TotpSecretBox } from '../../common/auth/secret-box';
import { AdminUsersController, MeController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  controllers: [MeController, AdminUsersController],
  providers: [UsersRepository, UsersService, TotpSecretBox],
  exports: [UsersService, UsersRepository, TotpSecretBox],
})
export class UsersModule {}
