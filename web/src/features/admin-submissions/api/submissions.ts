import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

export const getBoard = async () => unwrap(await api.GET('/api/admin/submissions'));
export const useBoard = () => useQuery({ queryKey: ['admin', 'board'], queryFn: getBoard });

export const decide = async (id: string, outcome: 'pass' | 'revise' | 'fail', reason: string) =>
  unwrap(await api.POST('/api/admin/submissions/{id}/decision', { params: { path: { id } }, body: { outcome, reason } }));

export const withdraw = async (assignmentId: string, reason: string) =>
  unwrap(await api.POST('/api/admin/submissions/assignments/{assignmentId}/withdraw', { params: { path: { assignmentId } }, body: { reason } }));
