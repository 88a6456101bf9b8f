import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type Person = components['schemas']['PersonDto'];
export type PersonDetail = components['schemas']['PersonDetailDto'];
export type Role = Person['roles'][number];
export const ROLES: readonly Role[] = ['candidate', 'reviewer', 'admin'];

/** The People list's filters, as the address and `GET /api/admin/users` both take them. */
export const PEOPLE_FILTERS = ['query', 'role', 'status', 'createdFrom', 'createdTo'] as const;

export async function searchPeople(query: Record<string, string | number>) {
  return unwrap(await api.GET('/api/admin/users', { params: { query } }));
}
export const usePeople = (query: Record<string, string | number>) =>
  // The last page stays on screen while the next loads, so the table does not flicker away under the keyboard focus.
  useQuery({ queryKey: ['admin', 'people', query], queryFn: () => searchPeople(query), placeholderData: keepPreviousData });

export async function downloadPeopleCsv(filters: Record<string, string | number>): Promise<void> {
  const result = await api.GET('/api/admin/users/export.csv', { params: { query: filters }, parseAs: 'blob' });
  saveDownload(result, `people-${new Date().toISOString().slice(0, 10)}.csv`, 'The people could not be exported; try again');
}

export const getPerson = async (userId: string) => unwrap(await api.GET('/api/admin/users/{userId}', { params: { path: { userId } } }));
export const usePerson = (userId: string) => useQuery({ queryKey: ['admin', 'person', userId], queryFn: () => getPerson(userId) });

export type StandingAction = 'deactivate' | 'reactivate' | 'force-password-reset';

export const changeStanding = async ({ userId, action, reason }: { userId: string; action: StandingAction; reason: string }) => {
  const request = { params: { path: { userId } }, body: { reason } };
  if (action === 'deactivate') return unwrap(await api.POST('/api/admin/users/{userId}/deactivate', request));
  if (action === 'reactivate') return unwrap(await api.POST('/api/admin/users/{userId}/reactivate', request));
  unwrap(await api.POST('/api/admin/users/{userId}/force-password-reset', request));
  return getPerson(userId);
};

export const setRoles = async ({ userId, roles }: { userId: string; roles: Role[] }) =>
  unwrap(await api.PUT('/api/admin/users/{userId}/roles', { params: { path: { userId } }, body: { roles } }));

/** Both change the person: the detail is refetched and every list that may show them is stale. */
function useChangesPerson<V extends { userId: string }, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async (_data, v) => {
      await qc.invalidateQueries({ queryKey: ['admin', 'person', v.userId] });
      await qc.invalidateQueries({ queryKey: ['admin', 'people'] });
      await qc.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });
}

export const useChangeStanding = () => useChangesPerson(changeStanding);
export const useSetRoles = () => useChangesPerson(setRoles);
