import { cryptoRandom, drawKeys, type RandomSource } from '../../common/random-draw';

export interface ReviewerCandidate {
  id: string;
  organisation: string;
  emailDomain: string;
  expertise: string[];
  maxConcurrent: number;
  /** open assignments (offered or accepted) across all submissions */
  load: number;
  away: Array<{ from: string; to: string }>;
}

export interface SubmissionParty {
  candidateId: string;
  organisation: string;
  emailDomain: string;
  /** reviewers matched by the candidate's conflict declarations an administrator confirmed */
  excluded: string[];
  /** reviewers who declared a conflict with this candidate */
  declaredConflicts: string[];
  /** reviewers already offered this submission (any outcome): never offered twice */
  alreadyOffered: string[];
}

export type Exclusion =
  | 'organisation'
  | 'email-domain'
  | 'candidate-excluded'
  | 'reviewer-declared'
  | 'already-offered'
  | 'away'
  | 'at-capacity'
  | 'is-candidate';

const norm = (s: string) => s.trim().toLowerCase();

/** Why a reviewer may not review this submission now, or null when they may. */
export function exclusionOf(r: ReviewerCandidate, s: SubmissionParty, now: Date): Exclusion | null {
  if (r.id === s.candidateId) return 'is-candidate';
  if (r.organisation && s.organisation && norm(r.organisation) === norm(s.organisation)) return 'organisation';
  if (norm(r.emailDomain) === norm(s.emailDomain)) return 'email-domain';
  if (s.excluded.includes(r.id)) return 'candidate-excluded';
  if (s.declaredConflicts.includes(r.id)) return 'reviewer-declared';
  if (s.alreadyOffered.includes(r.id)) return 'already-offered';
  if (r.away.some((a) => new Date(a.from) <= now && now <= new Date(a.to))) return 'away';
  if (r.load >= r.maxConcurrent) return 'at-capacity';
  return null;
}

/** Relative load is compared in quarters: finer differences are not worth making the pick predictable. */
export const LOAD_BANDS = 4;
export const loadBand = (r: Pick<ReviewerCandidate, 'load' | 'maxConcurrent'>) =>
  Math.min(LOAD_BANDS - 1, Math.floor((r.load / r.maxConcurrent) * LOAD_BANDS));

export interface ReviewerSelection {
  chosen: ReviewerCandidate[];
  /** reviewers considered (the whole pool) */
  poolSize: number;
  /** of those, reviewers with no conflict, free and with capacity: the ones a pick was made among */
  eligibleCount: number;
}

/**
 * Picks `count` reviewers: none conflicted; each pick covers as many still-uncovered domains as
 * possible, then as many of the submission's domains as possible (a second opinion is worth most
 * from a second expert), then the lowest load band. Reviewers equal on all three are drawn at
 * random (one key per reviewer per draw), so nobody (candidate, reviewer or administrator) can
 * predict or steer who gets a portfolio by knowing the order of ids or names (ISO/IEC 17024 §5.2).
 */
export function selectReviewers(
  pool: ReviewerCandidate[],
  s: SubmissionParty,
  domains: string[],
  count: number,
  now = new Date(),
  random: RandomSource = cryptoRandom,
): ReviewerSelection {
  const eligible = pool.filter((r) => exclusionOf(r, s, now) === null);
  const key = drawKeys(
    eligible.map((r) => r.id),
    random,
  );
  const chosen: ReviewerCandidate[] = [];
  const uncovered = new Set(domains);
  while (chosen.length < count) {
    const remaining = eligible.filter((r) => !chosen.includes(r));
    if (!remaining.length) break;
    const cover = (r: ReviewerCandidate) => r.expertise.filter((d) => uncovered.has(d)).length;
    const overlap = (r: ReviewerCandidate) => r.expertise.filter((d) => domains.includes(d)).length;
    remaining.sort(
      (a, b) => cover(b) - cover(a) || overlap(b) - overlap(a) || loadBand(a) - loadBand(b) || key.get(a.id)! - key.get(b.id)!,
    );
    const pick = remaining[0];
    chosen.push(pick);
    pick.expertise.forEach((d) => uncovered.delete(d));
  }
  return { chosen, poolSize: pool.length, eligibleCount: eligible.length };
}
