import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import {
  decidedInterviewState,
  INTERVIEW_STATES,
  interviewLifecycle,
  type InterviewState,
  OPEN_INTERVIEW_STATES,
} from './interview-lifecycle';

/** Every status change the code makes, with where it makes it. */
const MOVES: Array<[InterviewState, InterviewState, string]> = [
  ['awaiting_booking', 'booked', 'candidate-panels.service book'],
  ['booked', 'awaiting_booking', 'panel-bookings.service cancelBooking (cancel, withdraw with no replacement, adminCancel)'],
  ['booked', 'awaiting_booking', 'panel-decisions.service noShow: an assessor, or the candidate under "rebook"'],
  ['booked', 'decided_pass', 'panel-decisions.service decide'],
  ['booked', 'decided_fail', 'panel-decisions.service decide, or noShow: the candidate under "fail"'],
];

describe('interview lifecycle', () => {
  it('has exactly the states of the panel_interviews status CHECK constraint, and starts at the column default', () => {
    const column = statusColumn('panel_interviews');
    expect([...INTERVIEW_STATES]).toEqual(column.checked);
    expect(column.default).toBe('awaiting_booking');
  });

  it('names the decided state the way the services write it', () => {
    expect(decidedInterviewState('pass')).toBe('decided_pass');
    expect(decidedInterviewState('fail')).toBe('decided_fail');
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(interviewLifecycle.can(from, to)).toBe(true);
  });

  it('allows no move the code does not make', () => {
    expect(allowedMoves(interviewLifecycle)).toEqual(movesOf(MOVES));
  });

  it.each<[InterviewState, InterviewState]>([
    ['awaiting_booking', 'decided_pass'],
    ['awaiting_booking', 'decided_fail'],
    ['decided_fail', 'awaiting_booking'],
    ['decided_pass', 'booked'],
    ['decided_fail', 'decided_pass'],
  ])('refuses %s → %s with a LifecycleError naming both states', (from, to) => {
    expect(() => interviewLifecycle.assert(from, to)).toThrow(LifecycleError);
    expect(() => interviewLifecycle.assert(from, to)).toThrow(`An interview cannot move from "${from}" to "${to}"`);
  });

  it('closes for good once decided', () => {
    expect(INTERVIEW_STATES.filter(interviewLifecycle.isFinal)).toEqual(['decided_pass', 'decided_fail']);
    for (const state of ['decided_pass', 'decided_fail'] as const) {
      expect(INTERVIEW_STATES.some((to) => interviewLifecycle.can(state, to))).toBe(false);
    }
  });

  it('gives the queries their open states and the conditional UPDATE its from-states', () => {
    expect(OPEN_INTERVIEW_STATES).toEqual(['awaiting_booking', 'booked']);
    expect(interviewLifecycle.from('awaiting_booking')).toEqual(['booked']);
    expect(interviewLifecycle.from('decided_fail')).toEqual(['booked']);
  });
});
