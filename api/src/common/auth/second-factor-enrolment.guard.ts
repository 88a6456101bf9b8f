import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { needsSecondFactor } from '../../modules/users/entities/user.entity';
import type { AuthUser } from './auth-user';
import { IS_PUBLIC } from './authenticated.decorator';

export const MFA_ENROLMENT_REQUIRED = 'mfa_enrolment_required';

/**
 * What a staff account without a second factor may still do: read who it is, enrol one, change its
 * password, and sign in and out. Matched against the route that will run (its pattern), not the raw URL.
 */
const ALLOWED_BEFORE_ENROLMENT: Array<{ method?: string; path: RegExp }> = [
  { method: 'GET', path: /^\/api\/me$/ },
  { path: /^\/api\/me\/second-factor(\/.*)?$/ },
  { method: 'PUT', path: /^\/api\/me\/password$/ },
  { path: /^\/api\/auth(\/.*)?$/ },
];

/**
 * Global guard, registered after AuthGuard (which loads the user): an admin or reviewer whose account
 * has no second factor gets 403 `mfa_enrolment_required` everywhere but the routes above (issue #13:
 * "a staff account without a second factor can only enrol one").
 */
@Injectable()
export class SecondFactorEnrolmentGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    // Fail closed: a protected route without a loaded user means the guards ran out of order.
    if (!req.user) throw new UnauthorizedException('Sign in to continue');
    if (!needsSecondFactor(req.user.roles) || req.user.secondFactorEnabled === true) return true;
    const path = (typeof req.route?.path === 'string' ? req.route.path : req.path).replace(/\/$/, '');
    if (ALLOWED_BEFORE_ENROLMENT.some((a) => (!a.method || a.method === req.method) && a.path.test(path))) return true;
    throw new ForbiddenException({
      message: 'Set up two-step sign-in first: staff accounts need an authenticator app before they can do anything else',
      reason: MFA_ENROLMENT_REQUIRED,
    });
  }
}
