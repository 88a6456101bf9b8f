import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { ASSIGNMENT_STATES, assignmentLifecycle, type AssignmentState, OPEN_ASSIGNMENT_STATES } from './assignment-lifecycle';

/** Every status change the code makes, with where it makes it. */
const MOVES: Array<[AssignmentState, AssignmentState, string]> = [
  ['offered', 'accepted', 'reviews.service accept'],
  ['offered', 'declined', 'reviews.service decline (or a declared conflict)'],
  ['offered', 'declined', 'decisions.service withdraw'],
  ['offered', 'expired', 'reviews.service offerTimedOut'],
  ['accepted', 'completed', 'reviews.service submitReview'],
  ['accepted', 'overdue', 'reviews.service overdue'],
  ['accepted', 'declined', 'decisions.service withdraw'],
];

describe('assignment lifecycle', () => {
  it('has exactly the states of the review_assignments_status_known CHECK constraint, and starts at the column default', () => {
    const column = statusColumn('review_assignments');
    expect([...ASSIGNMENT_STATES]).toEqual(column.checked);
    expect(column.default).toBe('offered');
    expect(assignmentLifecycle.from('offered')).toEqual([]);
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(assignmentLifecycle.can(from, to)).toBe(true);
  });

  it('allows no move the code does not make', () => {
    expect(allowedMoves(assignmentLifecycle)).toEqual(movesOf(MOVES));
  });

  it.each<[AssignmentState, AssignmentState]>([
    ['offered', 'completed'],
    ['offered', 'overdue'],
    ['accepted', 'expired'],
    ['accepted', 'offered'],
    ['declined', 'accepted'],
    ['expired', 'accepted'],
    ['overdue', 'completed'],
    ['completed', 'declined'],
  ])('refuses %s → %s with a LifecycleError naming both states', (from, to) => {
    expect(() => assignmentLifecycle.assert(from, to)).toThrow(LifecycleError);
    expect(() => assignmentLifecycle.assert(from, to)).toThrow(`An assignment cannot move from "${from}" to "${to}"`);
  });

  it('closes for good: completed, declined, expired and overdue have no way out', () => {
    const finals = ['completed', 'declined', 'expired', 'overdue'] as const;
    expect(ASSIGNMENT_STATES.filter(assignmentLifecycle.isFinal)).toEqual([...finals]);
    for (const state of finals) expect(ASSIGNMENT_STATES.some((to) => assignmentLifecycle.can(state, to))).toBe(false);
  });

  it('counts offered and accepted as open (the reviewer load and what an administrator may withdraw)', () => {
    expect(OPEN_ASSIGNMENT_STATES).toEqual(['offered', 'accepted']);
    expect(assignmentLifecycle.from('declined')).toEqual(['offered', 'accepted']);
  });
});
