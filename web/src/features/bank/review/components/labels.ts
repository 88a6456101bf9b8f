/** Approving reviews an item needs before it may go to pretest (REQUIRED_APPROVALS on the server). */
export const REQUIRED_APPROVALS = 2;
/** Responses a pretest item needs before it may be activated (MIN_PRETEST_RESPONSES on the server). */
export const MIN_PRETEST_RESPONSES = 30;

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  pretest: 'Pretest',
  active: 'Active',
  retired: 'Retired',
};

export const EVIDENCE_LABELS: Record<string, string> = {
  needs_review: 'Needs review',
  adopted: 'Adopted — not yet reviewed in the platform',
  reviewed: 'Reviewed',
};

export const VERDICT_LABELS: Record<string, string> = {
  approve: 'Approve',
  changes_requested: 'Changes requested',
};

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

export const CUE_LABELS: Record<string, string> = {
  justifying: 'justifying (because, so that…)',
  absolute: 'absolute (always, never, only…)',
  hedge: 'hedge (usually, may…)',
  negation: 'negation (not, without…)',
};

export const optionLetter = (index: number) => String.fromCharCode(65 + index);
