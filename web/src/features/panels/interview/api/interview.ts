import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import { saveDownload } from '../../../../lib/download';
import type { components } from '../../../../lib/api/schema';

export type CandidatePanel = components['schemas']['CandidatePanelDto'];
export type SlotList = components['schemas']['SlotListDto'];

export const getMyPanel = async () => unwrap(await api.GET('/api/panels/me'));
export const useMyPanel = () => useQuery({ queryKey: ['interview', 'me'], queryFn: getMyPanel });

export const getSlots = async (timeZone: string) => unwrap(await api.GET('/api/panels/me/slots', { params: { query: { timeZone } } }));
export const useSlots = (timeZone: string, enabled: boolean) =>
  useQuery({ queryKey: ['interview', 'slots', timeZone], queryFn: () => getSlots(timeZone), enabled, staleTime: 30_000 });

export const book = async (start: string, timeZone: string) =>
  unwrap(await api.POST('/api/panels/me/booking', { body: { start, timeZone } }));
export const reschedule = async (start: string, timeZone: string) =>
  unwrap(await api.PUT('/api/panels/me/booking', { body: { start, timeZone } }));
export const cancelBooking = async () => unwrap(await api.DELETE('/api/panels/me/booking'));

/** The invitation needs the session's token, so it is fetched and handed to the browser as a download. */
export async function downloadInvitation(): Promise<void> {
  const result = await api.GET('/api/panels/me/booking/invitation.ics', { parseAs: 'blob' });
  saveDownload(result, 'cpaa-panel-interview.ics', 'The invitation could not be downloaded');
}
