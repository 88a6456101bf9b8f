/**
 * The self-assessment's scale, one per criterion: 0 not in place, 1 started, 2 mostly in place,
 * 3 fully in place and evidenced. (The SPA explains the same scale on the page.)
 */
export const RATING_MIN = 0;
export const RATING_MAX = 3;

/** At most this many problems are named, so a body of thousands of bad keys does not come back as a huge message. */
export const PROBLEMS_NAMED = 5;

/**
 * What is wrong with a ratings object, one message per problem (empty when it is valid): every key must be
 * one of the framework's criterion codes and every value a whole number on the scale.
 */
export function ratingProblems(ratings: Record<string, unknown>, criterionCodes: ReadonlySet<string>): string[] {
  const problems = allProblems(ratings, criterionCodes);
  if (problems.length <= PROBLEMS_NAMED) return problems;
  return [...problems.slice(0, PROBLEMS_NAMED), `ratings: ${problems.length - PROBLEMS_NAMED} more problems`];
}

function allProblems(ratings: Record<string, unknown>, criterionCodes: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const [code, rating] of Object.entries(ratings)) {
    if (!criterionCodes.has(code)) problems.push(`ratings: "${code.slice(0, 20)}" is not a criterion of the framework`);
    else if (!Number.isInteger(rating) || (rating as number) < RATING_MIN || (rating as number) > RATING_MAX) {
      problems.push(`ratings: ${code} must be a whole number from ${RATING_MIN} to ${RATING_MAX}`);
    }
  }
  return problems;
}
