import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from '../../modules/users/entities/user.entity';

export const IS_PUBLIC = 'psf:isPublic';
export const REQUIRED_ROLES = 'psf:requiredRoles';

/** Marks a handler or controller as open to anyone (no bearer token needed). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Requires a signed-in user, holding one of `roles` when given. */
export function Authenticated(options: { roles?: Role[] } = {}) {
  const decorators = [ApiBearerAuth(), ApiUnauthorizedResponse({ description: 'Not signed in' })];
  if (options.roles?.length) {
    decorators.push(SetMetadata(REQUIRED_ROLES, options.roles), ApiForbiddenResponse({ description: 'Missing role' }));
  }
  return applyDecorators(...decorators);
}
