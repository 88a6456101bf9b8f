import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import { saveDownload } from '../../../../lib/download';
import type { components } from '../../../../lib/api/schema';

export type CandidatePanel = components['schemas']['CandidatePanelDto'];
export type SlotList = components['schemas']['SlotListDto'];

export const interviewKeys = {
  all: ['interview'] as const,
  me: () => [...interviewKeys.all, 'me'] as const,
  slots: (timeZone?: string) =>
    timeZone ? ([...interviewKeys.all, 'slots', timeZone] as const) : ([...interviewKeys.all, 'slots'] as const),
};

export const getMyPanel = async () => unwrap(await api.GET('/api/panels/me'));
export const useMyPanel = () => useQuery({ queryKey: interviewKeys.me(), queryFn: getMyPanel });

export const getSlots = async (timeZone: string) => unwrap(await api.GET('/api/panels/me/slots', { params: { query: { timeZone } } }));
export const useSlots = (timeZone: string, enabled: boolean) =>
  useQuery({ queryKey: interviewKeys.slots(timeZone), queryFn: () => getSlots(timeZone), enabled, staleTime: 30_000 });

export const book = async (start: string, timeZone: string) =>
  unwrap(await api.POST('/api/panels/me/booking', { body: { start, timeZone } }));
export const reschedule = async (start: string, timeZone: string) =>
  unwrap(await api.PUT('/api/panels/me/booking', { body: { start, timeZone } }));
export const cancelBooking = async () => unwrap(await api.DELETE('/api/panels/me/booking'));

export const joinWaitlist = async (timeZone: string) => unwrap(await api.PUT('/api/panels/me/waitlist', { body: { timeZone } }));
export const leaveWaitlist = async () => unwrap(await api.DELETE('/api/panels/me/waitlist'));

/** Joining or leaving the waitlist; the answer is the candidate's panel state, and a refusal (a slot opened) refetches the slots. */
export function useWaitlist() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: { join: true; timeZone: string } | { join: false }) =>
      change.join ? joinWaitlist(change.timeZone) : leaveWaitlist(),
    onSuccess: (panel) => qc.setQueryData(interviewKeys.me(), panel),
    onError: () => qc.invalidateQueries({ queryKey: interviewKeys.slots() }),
  });
}

export type BookingChange = { kind: 'book' | 'reschedule'; start: string; timeZone: string } | { kind: 'cancel' };

/**
 * Booking, moving or cancelling the interview. The answer is the candidate's new panel state; on a
 * refusal (the slot was just taken) only the free slots are refetched.
 */
export function useChangeBooking() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: BookingChange) =>
      change.kind === 'cancel'
        ? cancelBooking()
        : change.kind === 'book'
          ? book(change.start, change.timeZone)
          : reschedule(change.start, change.timeZone),
    onSuccess: async (panel) => {
      qc.setQueryData(interviewKeys.me(), panel);
      await qc.invalidateQueries({ queryKey: interviewKeys.all });
    },
    onError: () => qc.invalidateQueries({ queryKey: interviewKeys.slots() }),
  });
}

/** The invitation needs the session's token, so it is fetched and handed to the browser as a download. */
export async function downloadInvitation(): Promise<void> {
  const result = await api.GET('/api/panels/me/booking/invitation.ics', { parseAs: 'blob' });
  saveDownload(result, 'cpaa-panel-interview.ics', 'The invitation could not be downloaded');
}
