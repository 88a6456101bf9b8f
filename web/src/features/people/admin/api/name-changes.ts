import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type AdminNameChange = components['schemas']['AdminNameChangeDto'];
type Status = NonNullable<AdminNameChange['status']>;

const key = (status: Status) => ['admin', 'name-changes', status] as const;

export const listNameChanges = async (status: Status) =>
  unwrap(await api.GET('/api/admin/name-changes', { params: { query: { status } } }));
export const useNameChanges = (status: Status) => useQuery({ queryKey: key(status), queryFn: () => listNameChanges(status) });

export const decideNameChange = async ({ id, outcome, note }: { id: string; outcome: 'approve' | 'refuse'; note: string }) => {
  const params = { path: { id } };
  if (outcome === 'approve') {
    return unwrap(await api.POST('/api/admin/name-changes/{id}/approve', { params, body: note ? { note } : {} }));
  }
  return unwrap(await api.POST('/api/admin/name-changes/{id}/refuse', { params, body: { note } }));
};

export const useDecideNameChange = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: decideNameChange, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'name-changes'] }) });
};
