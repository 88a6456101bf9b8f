import { ForbiddenException } from '@nestjs/common';

/**
 * Architecture invariant 11 (nobody steers their own assessment): the refusal every guarded action gives,
 * 403 with reason 'not_independent'. Thrown before anything is written, so the refused action changes nothing.
 */
export class NotIndependentException extends ForbiddenException {
  constructor(message: string) {
    super({ message, reason: 'not_independent' });
  }
}

/** The OpenAPI description of this 403 (with RequiresStepUp's `also`, or ApiForbiddenResponse). */
export const NOT_INDEPENDENT_DOC =
  '`reason: "not_independent"`: you are party to this person\'s case (the person yourself, a reviewer or assessor of their work, ' +
  'or declared conflicted with them); nothing was changed';
