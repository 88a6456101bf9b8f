import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { AdminUserDto, SetRolesDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('accounts')
@Authenticated()
@Controller('me')
export class MeController {
  @Get()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): UserDto {
    return UserDto.from(user);
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: [AdminUserDto] })
  async list(): Promise<AdminUserDto[]> {
    return (await this.users.list()).map(AdminUserDto.from);
  }

  @Put(':userId/roles')
  @ApiOkResponse({ type: UserDto })
  async setRoles(
    @CurrentUser() actor: AuthUser,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: SetRolesDto,
  ): Promise<UserDto> {
    return UserDto.from(await this.users.setRoles(actor.id, userId, dto.roles));
  }
}
