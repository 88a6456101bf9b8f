import { exclusionOf, type ReviewerCandidate, selectReviewers, type SubmissionParty } from './reviewer-selection';

const reviewer = (id: string, over: Partial<ReviewerCandidate> = {}): ReviewerCandidate => ({
  id,
  organisation: `Org ${id}`,
  emailDomain: `${id}.example`,
  expertise: [],
  maxConcurrent: 3,
  load: 0,
  away: [],
  ...over,
});
const party: SubmissionParty = {
  candidateId: 'cand',
  organisation: 'Acme Mutual',
  emailDomain: 'acme.example',
  excluded: [],
  declaredConflicts: [],
  alreadyOffered: [],
};
const now = new Date('2026-11-27T12:00:00Z');
const domains = ['D01', 'D02', 'D03', 'D04', 'D05', 'D06', 'D07'];

describe('reviewer selection', () => {
  it('never picks a conflicted reviewer, of any kind', () => {
    const pool = [
      reviewer('same-org', { organisation: ' ACME mutual ' }),
      reviewer('same-domain', { emailDomain: 'ACME.example' }),
      reviewer('excluded'),
      reviewer('declared'),
      reviewer('offered-before'),
      reviewer('away', { away: [{ from: '2026-11-20', to: '2026-12-05' }] }),
      reviewer('full', { load: 3 }),
      reviewer('ok-1'),
      reviewer('ok-2'),
    ];
    const s = { ...party, excluded: ['excluded'], declaredConflicts: ['declared'], alreadyOffered: ['offered-before'] };
    expect(pool.map((r) => exclusionOf(r, s, now))).toEqual([
      'organisation',
      'email-domain',
      'candidate-excluded',
      'reviewer-declared',
      'already-offered',
      'away',
      'at-capacity',
      null,
      null,
    ]);
    expect(
      selectReviewers(pool, s, domains, 2, now)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['ok-1', 'ok-2']);
    expect(selectReviewers(pool.slice(0, 7), s, domains, 2, now)).toEqual([]);
  });

  it('covers the domains as well as possible', () => {
    const pool = [
      reviewer('a', { expertise: ['D01', 'D02', 'D03'] }),
      reviewer('b', { expertise: ['D01', 'D02'] }),
      reviewer('c', { expertise: ['D04', 'D05', 'D06', 'D07'] }),
    ];
    expect(selectReviewers(pool, party, domains, 2, now).map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('balances by current load when expertise ties', () => {
    const pool = [reviewer('busy', { load: 2 }), reviewer('idle', { load: 0 }), reviewer('some', { load: 1 })];
    expect(selectReviewers(pool, party, domains, 2, now).map((r) => r.id)).toEqual(['idle', 'some']);
  });
});
