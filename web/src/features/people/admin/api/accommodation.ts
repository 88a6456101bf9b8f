import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

// A candidate's AIDA time accommodation, shown and set on their page.
export const setAccommodation = async ({ userId, timeMultiplier }: { userId: string; timeMultiplier: number }) =>
  unwrap(await api.PUT('/api/admin/users/{userId}/accommodations', { params: { path: { userId } }, body: { timeMultiplier } }));
export const useSetAccommodation = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: setAccommodation,
    onSuccess: (_, { userId }) => client.invalidateQueries({ queryKey: ['admin', 'accommodation', userId] }),
  });
};

export type Accommodation = components['schemas']['AccommodationStateDto'];
export const getAccommodation = async (userId: string) =>
  unwrap(await api.GET('/api/admin/users/{userId}/accommodations', { params: { path: { userId } } }));
export const useAccommodation = (userId: string) =>
  useQuery({ queryKey: ['admin', 'accommodation', userId], queryFn: () => getAccommodation(userId) });
