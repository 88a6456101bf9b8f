import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type ExamSettings = components['schemas']['ExamSettingsDto'];
export type UpdateExamSettings = components['schemas']['UpdateExamSettingsDto'];
const SETTINGS_KEY = ['admin', 'exam', 'settings'];

export const getSettings = async () => unwrap(await api.GET('/api/admin/exams/aida'));
export const useExamSettings = () => useQuery({ queryKey: SETTINGS_KEY, queryFn: getSettings });

export const updateSettings = async (body: UpdateExamSettings) => unwrap(await api.PATCH('/api/admin/exams/aida', { body }));
export const useUpdateSettings = () => {
  const qc = useQueryClient();
  return useMutation({ mutationFn: updateSettings, onSuccess: (data) => qc.setQueryData(SETTINGS_KEY, data) });
};

export type AdminAttempt = components['schemas']['AdminAttemptDto'];
/** The attempts list's filters, as the address and `GET /api/admin/exams/aida/attempts` both take them. */
export const ATTEMPT_FILTERS = ['query', 'status', 'result', 'from', 'to'] as const;

export const searchAttempts = async (query: Record<string, string | number>) =>
  unwrap(await api.GET('/api/admin/exams/aida/attempts', { params: { query } }));
export const useAttempts = (query: Record<string, string | number>) =>
  useQuery({ queryKey: ['admin', 'exam', 'attempts', query], queryFn: () => searchAttempts(query), placeholderData: keepPreviousData });

export async function downloadAttemptsCsv(filters: Record<string, string | number>): Promise<void> {
  const result = await api.GET('/api/admin/exams/aida/attempts/export.csv', { params: { query: filters }, parseAs: 'blob' });
  saveDownload(result, `aida-attempts-${new Date().toISOString().slice(0, 10)}.csv`, 'The attempts could not be exported; try again');
}
