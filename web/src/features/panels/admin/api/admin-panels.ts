import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type PanelSettings = components['schemas']['PanelSettingsDto'];

export const adminPanelKeys = {
  assessors: ['admin-panels', 'assessors'] as const,
  settings: ['admin-panels', 'settings'] as const,
  bookings: ['admin-panels', 'bookings'] as const,
  waiting: ['admin-panels', 'waiting'] as const,
};

export const getLongWaits = async () => unwrap(await api.GET('/api/admin/panels/waiting'));
export const useLongWaits = () => useQuery({ queryKey: adminPanelKeys.waiting, queryFn: getLongWaits });

export const getAssessors = async () => unwrap(await api.GET('/api/admin/panels/assessors'));
export const useAssessors = () => useQuery({ queryKey: adminPanelKeys.assessors, queryFn: getAssessors });
export const setAssessor = async (userId: string, active: boolean, isChair: boolean) =>
  unwrap(await api.PUT('/api/admin/panels/assessors/{userId}', { params: { path: { userId } }, body: { active, isChair } }));

export const getPanelSettings = async () => unwrap(await api.GET('/api/admin/panels/settings'));
export const usePanelSettings = () => useQuery({ queryKey: adminPanelKeys.settings, queryFn: getPanelSettings });
export const savePanelSettings = async (body: PanelSettings) => unwrap(await api.PUT('/api/admin/panels/settings', { body }));

export type AdminBooking = components['schemas']['AdminBookingDto'];
/** The bookings list's filters, as the address and `GET /api/admin/panels/bookings` both take them. */
export const BOOKING_FILTERS = ['query', 'status', 'from', 'to'] as const;
export const BOOKING_STATUSES = ['booked', 'completed', 'cancelled', 'no_show_candidate', 'no_show_assessor'] as const;
export const getBookings = async (query: Record<string, string | number>) =>
  unwrap(await api.GET('/api/admin/panels/bookings', { params: { query } }));
export const useBookings = (query: Record<string, string | number>) =>
  useQuery({ queryKey: [...adminPanelKeys.bookings, query], queryFn: () => getBookings(query), placeholderData: keepPreviousData });
export async function downloadBookingsCsv(filters: Record<string, string | number>): Promise<void> {
  const result = await api.GET('/api/admin/panels/bookings/export.csv', { params: { query: filters }, parseAs: 'blob' });
  saveDownload(result, `panel-bookings-${new Date().toISOString().slice(0, 10)}.csv`, 'The bookings could not be exported; try again');
}
export const cancelBooking = async (bookingId: string, reason: string) =>
  unwrap(await api.POST('/api/admin/panels/bookings/{bookingId}/cancel', { params: { path: { bookingId } }, body: { reason } }));

/** Each answers with the fresh list or settings, which replace the cached ones. */
export function useSetAssessor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, active, isChair }: { userId: string; active: boolean; isChair: boolean }) =>
      setAssessor(userId, active, isChair),
    onSuccess: (assessors) => qc.setQueryData(adminPanelKeys.assessors, assessors),
  });
}

export function useSavePanelSettings() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: savePanelSettings, onSuccess: (settings) => qc.setQueryData(adminPanelKeys.settings, settings) });
}

export function useCancelPanel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ bookingId, reason }: { bookingId: string; reason: string }) => cancelBooking(bookingId, reason),
    onSuccess: () => qc.invalidateQueries({ queryKey: adminPanelKeys.bookings }),
  });
}
