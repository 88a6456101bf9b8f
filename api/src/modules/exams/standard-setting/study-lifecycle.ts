import { defineLifecycle } from '../../../common/lifecycle/lifecycle';

/** A standard-setting study's stored status: two rating rounds, then closed (a recommended cut), adopted or cancelled. */
export const STUDY_STATES = ['round1', 'round2', 'closed', 'adopted', 'cancelled'] as const;
export type StudyStatus = (typeof STUDY_STATES)[number];

export const studyLifecycle = defineLifecycle('standard-setting study', STUDY_STATES, {
  round1: ['round2', 'cancelled'],
  round2: ['closed', 'cancelled'],
  closed: ['adopted', 'cancelled'],
  adopted: [],
  cancelled: [],
});

/** The round open for rating in a study of this status, if any. */
export const ratingRound = (status: StudyStatus): 1 | 2 | null => (status === 'round1' ? 1 : status === 'round2' ? 2 : null);
