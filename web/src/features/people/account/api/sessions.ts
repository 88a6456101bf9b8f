import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type SignedInSession = components['schemas']['SessionDto'];

const SESSIONS_KEY = ['me', 'sessions'] as const;

export const listSessions = async () => unwrap(await api.GET('/api/me/sessions'));

/** 204; that device's next request is refused (this one too, when it is the current session). */
export const endSession = async (id: string) => unwrap(await api.DELETE('/api/me/sessions/{id}', { params: { path: { id } } }));

/** Every session but this one; answers how many were signed out. */
export const endOtherSessions = async () => unwrap(await api.DELETE('/api/me/sessions'));

export const useSessions = () => useQuery({ queryKey: SESSIONS_KEY, queryFn: listSessions });

function useSessionsMutation<A, T>(mutationFn: (arg: A) => Promise<T>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: SESSIONS_KEY }) });
}

export const useEndSession = () => useSessionsMutation(endSession);
export const useEndOtherSessions = () => useSessionsMutation(endOtherSessions);
