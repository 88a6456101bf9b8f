import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type RaterStudy = components['schemas']['RaterStudyDto'];
export type RatedItem = components['schemas']['RatedItemDto'];
export type Rating = components['schemas']['RatingDto'];
export type RaterStudySummary = components['schemas']['RaterStudySummaryDto'];

export const RATER_STUDIES_KEY = ['standard-setting'] as const;
export const MY_STUDIES_KEY = [...RATER_STUDIES_KEY, 'mine'] as const;

export const getRaterStudy = async (studyId: string) =>
  unwrap(await api.GET('/api/standard-setting/{studyId}', { params: { path: { studyId } } }));
export const useRaterStudy = (studyId: string) =>
  // Ratings being typed live in the page; a refetch on focus would only fight them.
  useQuery({ queryKey: [...RATER_STUDIES_KEY, 'study', studyId], queryFn: () => getRaterStudy(studyId), refetchOnWindowFocus: false });

/** Up to 1000 ratings per call (the server's limit); answers with my progress in the open round. */
export const saveRatings = async (studyId: string, ratings: Rating[]) =>
  unwrap(await api.PUT('/api/standard-setting/{studyId}/ratings', { params: { path: { studyId } }, body: { ratings } }));
