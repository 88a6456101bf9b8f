import { ForbiddenException } from '@nestjs/common';
import type { AuthUser } from '../../common/auth/auth-user';

export const EMAIL_UNVERIFIED_MESSAGE =
  'Confirm your e-mail address first: open the link we sent you (or ask for a new one) ' +
  'to start an exam, submit a portfolio or book a panel';

/**
 * Architecture invariant 12 (a credential names a verified person): the acts that lead to a certificate
 * wait until the account has shown it reads mail at its address. Answers 403 with reason 'email_unverified'.
 */
export function assertEmailVerified(user: Pick<AuthUser, 'emailVerified'>): void {
  if (user.emailVerified !== true) {
    throw new ForbiddenException({ message: EMAIL_UNVERIFIED_MESSAGE, reason: 'email_unverified' });
  }
}
