import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { ClockSample } from '../lib/server-clock';
import { type Attempt, EXAM_KEY } from './exam';

export const attemptKey = (attemptId: string) => [...EXAM_KEY, 'attempt', attemptId] as const;

/** An attempt with the clock reading its own request gave (each refetch pairs its serverTime with its own arrival). */
export type TimedAttempt = Attempt & { clockSample: ClockSample };

export const getAttempt = async (attemptId: string): Promise<TimedAttempt> => {
  const sentAt = Date.now();
  const attempt = unwrap(await api.GET('/api/exams/aida/attempts/{attemptId}', { params: { path: { attemptId } } }));
  return { ...attempt, clockSample: { serverTime: attempt.serverTime, sentAt, receivedAt: Date.now() } };
};

/** Refetched when the tab is shown again and when the connection returns: each refetch resynchronises the countdown. */
export const useAttempt = (attemptId: string) =>
  useQuery({
    queryKey: attemptKey(attemptId),
    queryFn: () => getAttempt(attemptId),
    refetchOnWindowFocus: 'always',
    refetchOnReconnect: 'always',
  });

export const startAttempt = async () => {
  const result = await api.POST('/api/exams/aida/attempts');
  if (result.response.status === 409) {
    const body = result.error as unknown as { attemptId?: string; message?: string } | undefined;
    if (body?.attemptId) return { id: body.attemptId };
  }
  return unwrap(result);
};

/** The candidate's deliberate, confirmed submit (never called on the browser's own clock). */
export const submitAttempt = async (attemptId: string): Promise<TimedAttempt> => {
  const sentAt = Date.now();
  const attempt = unwrap(await api.POST('/api/exams/aida/attempts/{attemptId}/submit', { params: { path: { attemptId } } }));
  return { ...attempt, clockSample: { serverTime: attempt.serverTime, sentAt, receivedAt: Date.now() } };
};
