/** The deployment context of a portfolio, in the words candidates and reviewers see (the API keeps these keys). */
export const CONTEXT_LABELS: Record<string, string> = {
  system: 'The production AI system',
  organisation: 'Organisation',
  modelsUsed: 'Models used',
  usersAffected: 'Users affected',
  riskLevel: 'Risk level',
};
