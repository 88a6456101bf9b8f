import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/**
 * A booking: a panel at a slot for one interview. Only "booked" is live (one per interview, by a
 * partial unique index); a reschedule moves the same booking in time and keeps it booked.
 */
export const BOOKING_STATES = ['booked', 'cancelled', 'completed', 'no_show_candidate', 'no_show_assessor'] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

export const bookingLifecycle = defineLifecycle('booking', BOOKING_STATES, {
  // cancelled: by the candidate, an administrator, or an assessor's withdrawal with no replacement (before it starts);
  // completed: the chair records the decision; no_show_*: the chair records who did not attend (after it starts)
  booked: ['cancelled', 'completed', 'no_show_candidate', 'no_show_assessor'],
  cancelled: [],
  completed: [],
  no_show_candidate: [],
  no_show_assessor: [],
});
