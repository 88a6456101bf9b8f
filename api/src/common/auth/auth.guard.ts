import { ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';
import type { Role } from '../../modules/users/entities/user.entity';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC, REQUIRED_ROLES } from './authenticated.decorator';

/** Global guard: every route needs a valid access token unless marked @Public(); roles are checked here too. */
@Injectable()
export class AuthGuard extends PassportAuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await super.canActivate(context);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length) {
      const user: AuthUser = context.switchToHttp().getRequest().user;
      if (!required.some((role) => user.roles.includes(role))) {
        throw new ForbiddenException('You do not have the role this action needs');
      }
    }
    return true;
  }

  /**
   * Passport reports a missing, malformed or expired token as "no user", and an error only when the
   * session could not be checked (the database is unreachable, say). Such an error is rethrown for the
   * exception filter to answer (503 for an outage): a 401 would tell the client it is signed out.
   */
  override handleRequest<T>(err: unknown, user: T): T {
    if (err) throw err;
    if (!user) throw new UnauthorizedException('Sign in to continue');
    return user;
  }
}
