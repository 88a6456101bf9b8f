import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type PanelSettings = components['schemas']['PanelSettingsDto'];

export const getAssessors = async () => unwrap(await api.GET('/api/admin/panels/assessors'));
export const useAssessors = () => useQuery({ queryKey: ['admin-panels', 'assessors'], queryFn: getAssessors });
export const setAssessor = async (userId: string, active: boolean, isChair: boolean) =>
  unwrap(await api.PUT('/api/admin/panels/assessors/{userId}', { params: { path: { userId } }, body: { active, isChair } }));

export const getPanelSettings = async () => unwrap(await api.GET('/api/admin/panels/settings'));
export const usePanelSettings = () => useQuery({ queryKey: ['admin-panels', 'settings'], queryFn: getPanelSettings });
export const savePanelSettings = async (body: PanelSettings) => unwrap(await api.PUT('/api/admin/panels/settings', { body }));
