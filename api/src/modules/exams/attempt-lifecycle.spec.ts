import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { ATTEMPT_STATES, attemptLifecycle, type AttemptState } from './attempt-lifecycle';
import { ATTEMPT_STATUSES } from './dto/exam.dto';

/** Every status change the code makes, with where it makes it. */
const MOVES: Array<[AttemptState, AttemptState, string]> = [
  ['in_progress', 'submitted', 'exams.service submit, before the deadline'],
  ['in_progress', 'expired', 'exams.service submit after the deadline, expireIfDue (deadline job, sweep, a late read)'],
];

describe('attempt lifecycle', () => {
  it('has exactly the states of the attempts_status_known CHECK constraint, and starts at the column default', () => {
    const column = statusColumn('attempts');
    expect([...ATTEMPT_STATES]).toEqual(column.checked);
    expect(column.default).toBe('in_progress');
    expect(attemptLifecycle.from('in_progress')).toEqual([]);
  });

  it('is what the API documents as an attempt status', () => {
    expect([...ATTEMPT_STATUSES]).toEqual([...ATTEMPT_STATES]);
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(attemptLifecycle.can(from, to)).toBe(true);
    expect(() => attemptLifecycle.assert(from, to)).not.toThrow();
  });

  it('allows no move the code does not make', () => {
    expect(allowedMoves(attemptLifecycle)).toEqual(movesOf(MOVES));
  });

  it.each<[AttemptState, AttemptState]>([
    ['submitted', 'in_progress'],
    ['expired', 'in_progress'],
    ['expired', 'submitted'],
    ['submitted', 'expired'],
  ])('refuses %s → %s with a LifecycleError naming both states', (from, to) => {
    expect(() => attemptLifecycle.assert(from, to)).toThrow(LifecycleError);
    expect(() => attemptLifecycle.assert(from, to)).toThrow(`An attempt cannot move from "${from}" to "${to}"`);
  });

  it('closes for good: a submitted or expired attempt has no way out', () => {
    expect(ATTEMPT_STATES.filter(attemptLifecycle.isFinal)).toEqual(['submitted', 'expired']);
    for (const state of ['submitted', 'expired'] as const) {
      expect(attemptLifecycle.next(state)).toEqual([]);
      expect(ATTEMPT_STATES.some((to) => attemptLifecycle.can(state, to))).toBe(false);
    }
  });

  it('gives the conditional UPDATE its from-states', () => {
    expect(attemptLifecycle.from('submitted')).toEqual(['in_progress']);
    expect(attemptLifecycle.from('expired')).toEqual(['in_progress']);
  });
});
