import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type PanelSettings = components['schemas']['PanelSettingsDto'];

export const getAssessors = async () => unwrap(await api.GET('/api/admin/panels/assessors'));
export const useAssessors = () => useQuery({ queryKey: ['admin-panels', 'assessors'], queryFn: getAssessors });
export const setAssessor = async (userId: string, active: boolean, isChair: boolean) =>
  unwrap(await api.PUT('/api/admin/panels/assessors/{userId}', { params: { path: { userId } }, body: { active, isChair } }));

export const getPanelSettings = async () => unwrap(await api.GET('/api/admin/panels/settings'));
export const usePanelSettings = () => useQuery({ queryKey: ['admin-panels', 'settings'], queryFn: getPanelSettings });
export const savePanelSettings = async (body: PanelSettings) => unwrap(await api.PUT('/api/admin/panels/settings', { body }));

export const getBookings = async () => unwrap(await api.GET('/api/admin/panels/bookings'));
export const useBookings = () => useQuery({ queryKey: ['admin-panels', 'bookings'], queryFn: getBookings });
export const cancelBooking = async (bookingId: string, reason: string) =>
  unwrap(await api.POST('/api/admin/panels/bookings/{bookingId}/cancel', { params: { path: { bookingId } }, body: { reason } }));
