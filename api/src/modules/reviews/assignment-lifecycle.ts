import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/**
 * An assignment: a reviewer offered, then committed, to one submission. The assignment job offers
 * it, the reviewer accepts, declines or submits the review, the offer-timeout and overdue jobs
 * close it, an administrator may withdraw it. Every closed state frees the place for a new offer.
 */
export const ASSIGNMENT_STATES = ['offered', 'accepted', 'completed', 'declined', 'expired', 'overdue'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const assignmentLifecycle = defineLifecycle('assignment', ASSIGNMENT_STATES, {
  // accept (before respond_by) → accepted; decline or declare a conflict → declined;
  // an administrator's withdrawal is also stored as declined (there is no "withdrawn" state; close_reason says it);
  // no answer by respond_by → expired
  offered: ['accepted', 'declined', 'expired'],
  // review submitted → completed; due date passed → overdue (closed and reassigned); withdrawn → declined
  accepted: ['completed', 'overdue', 'declined'],
  completed: [],
  declined: [],
  expired: [],
  // "overdue" is a closed state, not a flag: a late review can no longer be submitted.
  overdue: [],
});

/** The states not yet closed: they count towards a reviewer's load (max_concurrent) and an administrator may withdraw them. */
export const OPEN_ASSIGNMENT_STATES = ASSIGNMENT_STATES.filter((s) => !assignmentLifecycle.isFinal(s));
