import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Role } from '../../modules/users/entities/user.entity';

/** The signed-in user as the guard loaded it from the database for this request. */
export interface AuthUser {
  id: string;
  email: string;
  fullName: string;
  roles: Role[];
  /** TOTP is on for the account (loaded with the session; absent where a service is called outside a request). */
  totpEnabled?: boolean;
  /** The e-mail address is confirmed (loaded with the session); exams, submissions and bookings need it. */
  emailVerified: boolean;
  /** The account has at least one passkey (loaded with the session; absent outside a request). */
  passkeyEnabled?: boolean;
  /** TOTP is on or the account has a passkey (loaded with the session; absent outside a request). */
  secondFactorEnabled?: boolean;
  /** When this session last proved a second factor (sign-in or step-up); null if never. */
  secondFactorAt?: Date | null;
  sessionFamilyId: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
