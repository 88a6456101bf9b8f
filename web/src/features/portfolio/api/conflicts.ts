import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import type { Credential } from './portfolio';

export type ConflictDeclaration = components['schemas']['ConflictDeclarationDto'];
export type DeclareConflict = components['schemas']['DeclareConflictDto'];

const conflictsKey = (credential: Credential) => ['portfolio', credential, 'conflicts'] as const;

export const listConflicts = async (credential: Credential) =>
  unwrap(await api.GET('/api/portfolios/{credential}/conflicts', { params: { path: { credential } } }));
export const useConflicts = (credential: Credential) =>
  useQuery({ queryKey: conflictsKey(credential), queryFn: () => listConflicts(credential), retry: false });

export const declareConflict = async (credential: Credential, body: DeclareConflict) =>
  unwrap(await api.POST('/api/portfolios/{credential}/conflicts', { params: { path: { credential } }, body }));

export const withdrawConflict = async (credential: Credential, id: string) =>
  unwrap(await api.DELETE('/api/portfolios/{credential}/conflicts/{id}', { params: { path: { credential, id } } }));

export function useDeclareConflict(credential: Credential) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DeclareConflict) => declareConflict(credential, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: conflictsKey(credential) }),
  });
}

export function useWithdrawConflict(credential: Credential) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => withdrawConflict(credential, id),
    onSuccess: () => qc.invalidateQueries({ queryKey: conflictsKey(credential) }),
  });
}
