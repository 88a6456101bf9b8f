import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

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

export const setAccommodation = async ({ userId, timeMultiplier }: { userId: string; timeMultiplier: number }) =>
  unwrap(await api.PUT('/api/admin/users/{userId}/accommodations', { params: { path: { userId } }, body: { timeMultiplier } }));
export const useSetAccommodation = () => useMutation({ mutationFn: setAccommodation });

export const listAttempts = async () => unwrap(await api.GET('/api/admin/exams/aida/attempts'));
export const useAllAttempts = () => useQuery({ queryKey: ['admin', 'exam', 'attempts'], queryFn: listAttempts });

// Accommodations are for candidates: the first 500 of them, newest first (the People search pages at up to 500).
export const listCandidates = async () =>
  (await unwrap(await api.GET('/api/admin/users', { params: { query: { role: 'candidate', pageSize: 500 } } }))).items;
export const useCandidates = () => useQuery({ queryKey: ['admin', 'users', 'candidate'], queryFn: listCandidates });
