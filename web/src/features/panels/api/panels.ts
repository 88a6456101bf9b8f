import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { saveDownload } from '../../../lib/download';
import type { components } from '../../../lib/api/schema';

export type Availability = components['schemas']['AvailabilityInputDto'];
export type PanelDetail = components['schemas']['PanelDetailDto'];
export type DomainScore = components['schemas']['DomainScoreDto'];

/** 404 means "not an assessor": shown as a message, not an error. */
export async function getAvailability() {
  const result = await api.GET('/api/panels/availability');
  return result.response.status === 404 ? null : unwrap(result);
}
export const useAvailability = () => useQuery({ queryKey: ['panels', 'availability'], queryFn: getAvailability });
export const saveAvailability = async (body: Availability) => unwrap(await api.PUT('/api/panels/availability', { body }));

export const getCalendar = async () => unwrap(await api.GET('/api/panels/availability/calendar'));
export const useCalendar = (enabled: boolean) => useQuery({ queryKey: ['panels', 'calendar'], queryFn: getCalendar, enabled });

export const getMyPanels = async () => unwrap(await api.GET('/api/panels/assignments'));
export const useMyPanels = () => useQuery({ queryKey: ['panels', 'mine'], queryFn: getMyPanels });

export const getPanel = async (bookingId: string) =>
  unwrap(await api.GET('/api/panels/assignments/{bookingId}', { params: { path: { bookingId } } }));
export const usePanel = (bookingId: string) => useQuery({ queryKey: ['panels', 'detail', bookingId], queryFn: () => getPanel(bookingId) });

export const getGuide = async () => unwrap(await api.GET('/api/panels/guide'));
export const useGuide = () => useQuery({ queryKey: ['panels', 'guide'], queryFn: getGuide, staleTime: Infinity });

export const submitScores = async (bookingId: string, domains: DomainScore[]) =>
  unwrap(await api.PUT('/api/panels/assignments/{bookingId}/scores', { params: { path: { bookingId } }, body: { domains } }));
export const recordDecision = async (bookingId: string, note: string) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/decision', { params: { path: { bookingId } }, body: { note } }));
export const recordNoShow = async (bookingId: string, body: components['schemas']['NoShowDto']) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/no-show', { params: { path: { bookingId } }, body }));
export const withdraw = async (bookingId: string, reason: string) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/withdraw', { params: { path: { bookingId } }, body: { reason } }));

/** Attachments need the session's token, so they are fetched and handed to the browser as a download. */
export async function downloadAttachment(attachmentId: string, fileName: string): Promise<void> {
  const result = await api.GET('/api/attachments/{attachmentId}', { params: { path: { attachmentId } }, parseAs: 'blob' });
  saveDownload(result, fileName, 'The file could not be downloaded');
}
