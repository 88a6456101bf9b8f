import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { EXAM_KEY } from './exam';

export const attemptKey = (attemptId: string) => [...EXAM_KEY, 'attempt', attemptId] as const;

export const getAttempt = async (attemptId: string) =>
  unwrap(await api.GET('/api/exams/aida/attempts/{attemptId}', { params: { path: { attemptId } } }));

export const useAttempt = (attemptId: string) =>
  useQuery({ queryKey: attemptKey(attemptId), queryFn: () => getAttempt(attemptId), refetchOnWindowFocus: false });

export const startAttempt = async () => {
  const result = await api.POST('/api/exams/aida/attempts');
  if (result.response.status === 409) {
    const body = result.error as unknown as { attemptId?: string; message?: string } | undefined;
    if (body?.attemptId) return { id: body.attemptId };
  }
  return unwrap(result);
};

export const submitAttempt = async (attemptId: string) =>
  unwrap(await api.POST('/api/exams/aida/attempts/{attemptId}/submit', { params: { path: { attemptId } } }));
