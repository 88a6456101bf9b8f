import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type AdminConflict = components['schemas']['AdminConflictDeclarationDto'];
export type ConflictStatus = AdminConflict['status'];

const key = (status: ConflictStatus) => ['admin', 'conflicts', status] as const;

export const listAdminConflicts = async (status: ConflictStatus) =>
  unwrap(await api.GET('/api/admin/conflicts', { params: { query: { status } } }));
export const useAdminConflicts = (status: ConflictStatus) => useQuery({ queryKey: key(status), queryFn: () => listAdminConflicts(status) });

export const decideConflict = async ({ id, outcome, note }: { id: string; outcome: 'confirm' | 'reject'; note: string }) => {
  const params = { path: { id } };
  if (outcome === 'confirm') return unwrap(await api.POST('/api/admin/conflicts/{id}/confirm', { params, body: note ? { note } : {} }));
  return unwrap(await api.POST('/api/admin/conflicts/{id}/reject', { params, body: { note } }));
};

export const useDecideConflict = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: decideConflict, onSuccess: () => qc.invalidateQueries({ queryKey: ['admin', 'conflicts'] }) });
};
