import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/** An attempt: one sitting of the AIDA exam; the candidate submits it, or the deadline job (or a late read) expires it. */
export const ATTEMPT_STATES = ['in_progress', 'submitted', 'expired'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

export const attemptLifecycle = defineLifecycle('attempt', ATTEMPT_STATES, {
  // submit before the deadline → submitted; submit after it, the deadline job or a read past it → expired.
  // Both score the attempt in the same transaction, so a closed attempt always has its result.
  in_progress: ['submitted', 'expired'],
  submitted: [],
  expired: [],
});
