import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '../../common/auth/auth-user';
import { Authenticated } from '../../common/auth/authenticated.decorator';
import { RequiresStepUp, stepUpUntil } from '../../common/auth/step-up';
import { APP_CONFIG, AppConfig } from '../../infrastructure/config/app-config';
import { NOT_INDEPENDENT_DOC } from '../independence/not-independent';
import { SetRolesDto, UserDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('accounts')
@Authenticated()
@Controller('me')
export class MeController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): UserDto {
    const dto = UserDto.from(user);
    return { ...dto, secondFactor: { ...dto.secondFactor, stepUpUntil: stepUpUntil(user, this.config) } };
  }
}

@ApiTags('admin')
@Authenticated({ roles: ['admin'] })
@Controller('admin/users')
export class AdminUsersController {
  constructor(private readonly users: UsersService) {}

  // GET /api/admin/users (the People search) is AccountAdminController's.

  @RequiresStepUp(`missing role, or ${NOT_INDEPENDENT_DOC} (your own roles included)`)
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
