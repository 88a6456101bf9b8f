import type { RandomSource } from '../../common/random-draw';
import { exclusionOf, loadBand, type ReviewerCandidate, selectReviewers, type SubmissionParty } from './reviewer-selection';

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
    const picked = selectReviewers(pool, s, domains, 2, now);
    expect(picked.chosen.map((r) => r.id).sort()).toEqual(['ok-1', 'ok-2']);
    expect(picked).toMatchObject({ poolSize: 9, eligibleCount: 2 });
    expect(selectReviewers(pool.slice(0, 7), s, domains, 2, now)).toEqual({ chosen: [], poolSize: 7, eligibleCount: 0 });
  });

  it('covers the domains as well as possible', () => {
    const pool = [
      reviewer('a', { expertise: ['D01', 'D02', 'D03'] }),
      reviewer('b', { expertise: ['D01', 'D02'] }),
      reviewer('c', { expertise: ['D04', 'D05', 'D06', 'D07'] }),
    ];
    expect(selectReviewers(pool, party, domains, 2, now).chosen.map((r) => r.id)).toEqual(['c', 'a']);
  });

  it('balances by current load when expertise ties', () => {
    const pool = [reviewer('busy', { load: 2 }), reviewer('idle', { load: 0 }), reviewer('some', { load: 1 })];
    expect(selectReviewers(pool, party, domains, 2, now).chosen.map((r) => r.id)).toEqual(['idle', 'some']);
  });

  it('draws at random among reviewers equal on coverage, overlap and load band, whatever their ids', () => {
    const tied = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6'].map((id) => reviewer(id, { expertise: domains }));
    const firsts = new Set<string>();
    for (let seed = 1; seed <= 60; seed++) {
      firsts.add(selectReviewers(tied, party, domains, 1, now, seeded(seed)).chosen[0].id);
    }
    // every tied reviewer can be drawn: the lowest id (or first listed) is no longer a sure pick
    expect([...firsts].sort()).toEqual(['r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    // the same random source gives the same draw (so the tests and an investigation can replay it)
    expect(selectReviewers(tied, party, domains, 2, now, seeded(7)).chosen).toEqual(
      selectReviewers(tied, party, domains, 2, now, seeded(7)).chosen,
    );
  });

  it('never lets the draw beat the ranking: better coverage and a lower load band always win', () => {
    const pool = [
      reviewer('expert', { expertise: domains }),
      reviewer('narrow', { expertise: ['D01'] }),
      reviewer('loaded-expert', { expertise: domains, load: 2 }),
    ];
    for (let seed = 1; seed <= 30; seed++) {
      expect(selectReviewers(pool, party, domains, 2, now, seeded(seed)).chosen.map((r) => r.id)).toEqual(['expert', 'loaded-expert']);
    }
    expect([0, 1, 2, 3].map((load) => loadBand({ load, maxConcurrent: 4 }))).toEqual([0, 1, 2, 3]);
    expect(loadBand({ load: 1, maxConcurrent: 10 })).toBe(loadBand({ load: 2, maxConcurrent: 10 }));
  });

  it('uses the CSPRNG by default: repeated draws over a tied pool pick more than one reviewer', () => {
    const tied = ['r1', 'r2', 'r3', 'r4'].map((id) => reviewer(id, { expertise: domains }));
    const firsts = new Set(Array.from({ length: 40 }, () => selectReviewers(tied, party, domains, 1, now).chosen[0].id));
    expect(firsts.size).toBeGreaterThan(1);
  });
});

/** A deterministic random source (mulberry32) for replayable draws. */
function seeded(seed: number): RandomSource {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
