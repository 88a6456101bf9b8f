import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/**
 * A submission: one frozen version of a CPAP/CPAA portfolio. The candidate submits it, the
 * consolidation of two reviews decides it or sends it to adjudication, an administrator decides
 * (adjudicates, overrides, upholds an appeal). A new version is a new row starting at "submitted".
 * The portfolio_submissions_status_known CHECK constraint allows exactly these values.
 */
export const SUBMISSION_STATES = ['submitted', 'adjudication', 'decided_pass', 'decided_revise', 'decided_fail'] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

export const submissionLifecycle = defineLifecycle('submission', SUBMISSION_STATES, {
  // two reviews in: agreement → decided_<outcome> (consensus), disagreement → adjudication
  submitted: ['adjudication', 'decided_pass', 'decided_revise', 'decided_fail'],
  // an administrator who did not review it decides
  adjudication: ['decided_pass', 'decided_revise', 'decided_fail'],
  // A decision is never final: an administrator may override it, or an upheld appeal replace it,
  // with another outcome (audited; the same outcome is refused as "already").
  decided_pass: ['decided_revise', 'decided_fail'],
  decided_revise: ['decided_pass', 'decided_fail'],
  decided_fail: ['decided_pass', 'decided_revise'],
});

/** The decided state for a decision outcome, as the services write it (`decided_${outcome}`). */
export const decidedState = (outcome: 'pass' | 'revise' | 'fail'): SubmissionState => `decided_${outcome}`;
