import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const getBoard = async () => unwrap(await api.GET('/api/admin/submissions'));
export const useBoard = () => useQuery({ queryKey: ['admin', 'board'], queryFn: getBoard });

export const decide = async (id: string, outcome: 'pass' | 'revise' | 'fail', reason: string) =>
  unwrap(await api.POST('/api/admin/submissions/{id}/decision', { params: { path: { id } }, body: { outcome, reason } }));

export const withdraw = async (assignmentId: string, reason: string) =>
  unwrap(
    await api.POST('/api/admin/submissions/assignments/{assignmentId}/withdraw', { params: { path: { assignmentId } }, body: { reason } }),
  );

export const getAppeals = async () => unwrap(await api.GET('/api/admin/appeals'));
export const useAppeals = () => useQuery({ queryKey: ['admin', 'appeals'], queryFn: getAppeals });

export const decideAppeal = async (id: string, upheld: boolean, note: string, newOutcome?: 'pass' | 'revise' | 'fail') =>
  unwrap(await api.POST('/api/admin/appeals/{id}/outcome', { params: { path: { id } }, body: { upheld, note, newOutcome } }));
