import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';
import type { AuthUser } from './auth-user';

export const STEP_UP_REQUIRED = 'step_up_required';

/** Until when the session may do step-up actions without proving a second factor again; null when it must now. */
export function stepUpUntil(user: Pick<AuthUser, 'secondFactorAt'>, config: AppConfig): string | null {
  if (!user.secondFactorAt) return null;
  const until = user.secondFactorAt.getTime() + config.sessions.stepUpWindowSeconds * 1000;
  return until > Date.now() ? new Date(until).toISOString() : null;
}

/**
 * Refuses (403 `step_up_required`) unless this session proved a second factor within
 * STEP_UP_WINDOW_MINUTES: at sign-in with a code or passkey, or by `POST /api/me/step-up`.
 * Runs after the global AuthGuard, which loaded the session with the user.
 */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const user: AuthUser | undefined = context.switchToHttp().getRequest().user;
    if (!user) throw new UnauthorizedException('Sign in to continue');
    if (stepUpUntil(user, this.config)) return true;
    throw new ForbiddenException({
      message: 'Confirm it is you: enter a code from your authenticator app (or use a passkey) to continue',
      reason: STEP_UP_REQUIRED,
    });
  }
}

/**
 * A sensitive action (decisions on people's certification, roles, revocations): the session must have
 * proven a second factor recently, not only hold a valid token (issue #13, step-up). `also` names the
 * other 403s of the route, since OpenAPI keeps one description per status.
 */
export function RequiresStepUp(also = 'missing role') {
  return applyDecorators(
    UseGuards(StepUpGuard),
    ApiForbiddenResponse({
      description:
        `${also}; or \`reason: "${STEP_UP_REQUIRED}"\`: the session has not proven a second factor in the last ` +
        'STEP_UP_WINDOW_MINUTES — POST /api/me/step-up (or the passkey step-up), then repeat the request',
    }),
  );
}
