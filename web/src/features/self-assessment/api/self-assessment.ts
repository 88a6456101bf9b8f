import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { cleanRatings, type SelfAssessmentCopy } from '../lib/browser-copy';
import type { Ratings } from '../lib/scoring';

/** The framework (public): the domains and the 40 criteria the page asks about. The same key as elsewhere: fetched once. */
export const useFramework = () =>
  useQuery({ queryKey: ['framework'], queryFn: async () => unwrap(await api.GET('/api/framework')), staleTime: Infinity });

const SAVED_KEY = ['self-assessment', 'mine'] as const;

/** The copy saved to the account; null when none is (the API answers 404). */
export async function getSavedSelfAssessment(): Promise<SelfAssessmentCopy | null> {
  const result = await api.GET('/api/me/self-assessment');
  if (result.response.status === 404) return null;
  const saved = unwrap(result);
  return { ratings: cleanRatings(saved.ratings), updatedAt: saved.updatedAt };
}

export const useSavedSelfAssessment = (enabled: boolean) =>
  useQuery({ queryKey: SAVED_KEY, queryFn: getSavedSelfAssessment, enabled, retry: false, staleTime: Infinity });

export function useSaveSelfAssessment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (ratings: Ratings): Promise<SelfAssessmentCopy> => {
      const saved = unwrap(await api.PUT('/api/me/self-assessment', { body: { ratings } }));
      return { ratings: cleanRatings(saved.ratings), updatedAt: saved.updatedAt };
    },
    onSuccess: (saved) => queryClient.setQueryData(SAVED_KEY, saved),
  });
}
