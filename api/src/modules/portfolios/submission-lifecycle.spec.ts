import { allowedMoves, movesOf, statusColumn } from '../../../test/lifecycle-checks';
import { LifecycleError } from '../../common/lifecycle/lifecycle';
import { decidedState, SUBMISSION_STATES, submissionLifecycle, type SubmissionState } from './submission-lifecycle';

const DECIDED = ['decided_pass', 'decided_revise', 'decided_fail'] as const;

type Move = [SubmissionState, SubmissionState, string];

/** Every status change the code makes, with where it makes it (all in reviews/decisions.service). */
const MOVES: Move[] = [
  ['submitted', 'adjudication', 'consolidate: the two reviews disagree'],
  ...DECIDED.map((to): Move => ['submitted', to, 'consolidate: consensus']),
  ...DECIDED.map((to): Move => ['adjudication', to, 'decide: adjudication']),
  ...DECIDED.flatMap((from) => DECIDED.filter((to) => to !== from).map((to): Move => [from, to, 'decide: override; decideAppeal: upheld'])),
];

describe('submission lifecycle', () => {
  it('has exactly the states of the CHECK constraint on portfolio_submissions.status, defaulting to "submitted"', () => {
    const column = statusColumn('portfolio_submissions');
    expect([...SUBMISSION_STATES]).toEqual(column.checked);
    expect(column.default).toBe('submitted');
    expect(submissionLifecycle.from('submitted')).toEqual([]);
  });

  it('names the decided state the way the services write it', () => {
    expect(DECIDED.map((s) => s.replace('decided_', '') as 'pass' | 'revise' | 'fail').map(decidedState)).toEqual([...DECIDED]);
  });

  it.each(MOVES)('allows %s → %s (%s)', (from, to) => {
    expect(submissionLifecycle.can(from, to)).toBe(true);
  });

  it('allows no move the code does not make', () => {
    expect(allowedMoves(submissionLifecycle)).toEqual(movesOf(MOVES));
  });

  it.each<[SubmissionState, SubmissionState]>([
    ['decided_pass', 'submitted'],
    ['decided_revise', 'submitted'],
    ['decided_fail', 'adjudication'],
    ['adjudication', 'submitted'],
  ])('refuses %s → %s with a LifecycleError naming both states', (from, to) => {
    expect(() => submissionLifecycle.assert(from, to)).toThrow(LifecycleError);
    expect(() => submissionLifecycle.assert(from, to)).toThrow(`A submission cannot move from "${from}" to "${to}"`);
  });

  it('has no final state: a decision can always be overridden, but never sent back to review', () => {
    expect(SUBMISSION_STATES.filter(submissionLifecycle.isFinal)).toEqual([]);
    for (const from of DECIDED) expect(submissionLifecycle.next(from).every((to) => to.startsWith('decided_'))).toBe(true);
  });

  it('gives the conditional UPDATE its from-states', () => {
    expect(submissionLifecycle.from('adjudication')).toEqual(['submitted']);
    expect(submissionLifecycle.from('decided_pass')).toEqual(['submitted', 'adjudication', 'decided_revise', 'decided_fail']);
  });
});
