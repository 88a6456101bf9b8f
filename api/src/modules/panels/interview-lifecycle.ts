import { defineLifecycle } from '../../common/lifecycle/lifecycle';

/**
 * An interview: the CPAA panel stage a passed CPAA portfolio opens. The candidate books it; a
 * cancelled or assessor-missed booking sends it back to be booked again; the chair's decision
 * (or a candidate no-show under the "fail" setting) decides it.
 */
export const INTERVIEW_STATES = ['awaiting_booking', 'booked', 'decided_pass', 'decided_fail'] as const;
export type InterviewState = (typeof INTERVIEW_STATES)[number];

export const interviewLifecycle = defineLifecycle('interview', INTERVIEW_STATES, {
  // the candidate books a slot
  awaiting_booking: ['booked'],
  // back to awaiting_booking: the booking is cancelled (candidate, administrator, an assessor withdrew with
  // no replacement), an assessor did not show, or the candidate did not show under the "rebook" setting;
  // decided: the chair records the panel's outcome, or a candidate no-show under the "fail" setting
  booked: ['awaiting_booking', 'decided_pass', 'decided_fail'],
  decided_pass: [],
  decided_fail: [],
});

/** The states in which the candidate still has an interview to book or attend (slots, book, "my interview" first). */
export const OPEN_INTERVIEW_STATES = INTERVIEW_STATES.filter((s) => !interviewLifecycle.isFinal(s));

/** The decided state for a panel outcome, as the services write it (`decided_${outcome}`). */
export const decidedInterviewState = (outcome: 'pass' | 'fail'): InterviewState => `decided_${outcome}`;
