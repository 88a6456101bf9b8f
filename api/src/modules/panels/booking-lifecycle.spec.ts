import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { BOOKING_STATES, bookingLifecycle, type BookingState } from './booking-lifecycle';

/** Every status change the code makes, with where it makes it. */
const MOVES: Array<[BookingState, BookingState, string]> = [
  ['booked', 'cancelled', 'panel-bookings.service cancelBooking (cancel, withdraw with no replacement, adminCancel)'],
  ['booked', 'completed', 'panel-decisions.service decide'],
  ['booked', 'no_show_assessor', 'panel-decisions.service noShow'],
  ['booked', 'no_show_candidate', 'panel-decisions.service noShow'],
];

describe('booking lifecycle', () => {
  it('has exactly the states of the panel_bookings status CHECK constraint, and starts at the column default', () => {
    const column = statusColumn('panel_bookings');
    expect([...BOOKING_STATES]).toEqual(column.checked);
    expect(column.default).toBe('booked');
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(bookingLifecycle.can(from, to)).toBe(true);
  });

  it('allows no move the code does not make (a reschedule moves the booking in time, not in status)', () => {
    expect(allowedMoves(bookingLifecycle)).toEqual(movesOf(MOVES));
  });

  it.each<[BookingState, BookingState]>([
    ['cancelled', 'booked'],
    ['completed', 'cancelled'],
    ['no_show_candidate', 'completed'],
    ['no_show_assessor', 'booked'],
  ])('refuses %s → %s with a LifecycleError naming both states', (from, to) => {
    expect(() => bookingLifecycle.assert(from, to)).toThrow(LifecycleError);
    expect(() => bookingLifecycle.assert(from, to)).toThrow(`A booking cannot move from "${from}" to "${to}"`);
  });

  it('has one live state: every other one is final', () => {
    expect(BOOKING_STATES.filter((s) => !bookingLifecycle.isFinal(s))).toEqual(['booked']);
    for (const state of BOOKING_STATES.filter(bookingLifecycle.isFinal)) {
      expect(BOOKING_STATES.some((to) => bookingLifecycle.can(state, to))).toBe(false);
    }
    expect(bookingLifecycle.from('cancelled')).toEqual(['booked']);
  });
});
