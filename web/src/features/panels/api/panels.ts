import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { MY_PANELS_KEY } from '../../../lib/assessor-panels';
import type { components } from '../../../lib/api/schema';

export type Availability = components['schemas']['AvailabilityInputDto'];
export type PanelDetail = components['schemas']['PanelDetailDto'];
export type DomainScore = components['schemas']['DomainScoreDto'];
export type PanelScoreDraft = components['schemas']['PanelScoreDraftDto'];
export type SavedPanelScoreDraft = components['schemas']['SavedPanelScoreDraftDto'];

export const panelKeys = {
  all: ['panels'] as const,
  availability: () => [...panelKeys.all, 'availability'] as const,
  calendar: () => [...panelKeys.all, 'calendar'] as const,
  mine: () => MY_PANELS_KEY,
  detail: (bookingId: string) => [...panelKeys.all, 'detail', bookingId] as const,
  guide: () => [...panelKeys.all, 'guide'] as const,
  draft: (bookingId: string) => [...panelKeys.all, 'draft', bookingId] as const,
};

/** 404 means "not an assessor": shown as a message, not an error. */
export async function getAvailability() {
  const result = await api.GET('/api/panels/availability');
  return result.response.status === 404 ? null : unwrap(result);
}
export const useAvailability = () => useQuery({ queryKey: panelKeys.availability(), queryFn: getAvailability });
export const saveAvailability = async (body: Availability) => unwrap(await api.PUT('/api/panels/availability', { body }));

export const getCalendar = async () => unwrap(await api.GET('/api/panels/availability/calendar'));
export const useCalendar = (enabled: boolean) => useQuery({ queryKey: panelKeys.calendar(), queryFn: getCalendar, enabled });

export const getPanel = async (bookingId: string) =>
  unwrap(await api.GET('/api/panels/assignments/{bookingId}', { params: { path: { bookingId } } }));
export const usePanel = (bookingId: string) => useQuery({ queryKey: panelKeys.detail(bookingId), queryFn: () => getPanel(bookingId) });

export const getGuide = async () => unwrap(await api.GET('/api/panels/guide'));
export const useGuide = () => useQuery({ queryKey: panelKeys.guide(), queryFn: getGuide, staleTime: Infinity });

/** The assessor's score sheet in progress; null when none is saved (404). */
export async function getPanelDraft(bookingId: string): Promise<SavedPanelScoreDraft | null> {
  const result = await api.GET('/api/panels/assignments/{bookingId}/draft', { params: { path: { bookingId } } });
  return result.response.status === 404 ? null : unwrap(result);
}
/** Read once when the sheet opens: from then on the page holds the newer copy. */
export const usePanelDraft = (bookingId: string, enabled: boolean) =>
  useQuery({
    queryKey: panelKeys.draft(bookingId),
    queryFn: () => getPanelDraft(bookingId),
    enabled,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
export const savePanelDraft = async (bookingId: string, body: PanelScoreDraft) =>
  unwrap(await api.PUT('/api/panels/assignments/{bookingId}/draft', { params: { path: { bookingId } }, body }));

export const submitScores = async (bookingId: string, domains: DomainScore[]) =>
  unwrap(await api.PUT('/api/panels/assignments/{bookingId}/scores', { params: { path: { bookingId } }, body: { domains } }));
export const recordDecision = async (bookingId: string, note: string) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/decision', { params: { path: { bookingId } }, body: { note } }));
export const recordNoShow = async (bookingId: string, body: components['schemas']['NoShowDto']) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/no-show', { params: { path: { bookingId } }, body }));
export const withdraw = async (bookingId: string, reason: string) =>
  unwrap(await api.POST('/api/panels/assignments/{bookingId}/withdraw', { params: { path: { bookingId } }, body: { reason } }));

/** Saving weekly hours and date overrides changes the calendar and the slots, so everything panel-related is refetched. */
export function useSaveAvailability() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveAvailability, onSuccess: () => qc.invalidateQueries({ queryKey: panelKeys.all }) });
}

export function useSubmitScores(bookingId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (domains: DomainScore[]) => submitScores(bookingId, domains),
    onSuccess: async (panel) => {
      qc.setQueryData(panelKeys.detail(bookingId), panel);
      // the server discarded the draft with the submission
      qc.removeQueries({ queryKey: panelKeys.draft(bookingId) });
      await qc.invalidateQueries({ queryKey: panelKeys.mine() });
    },
  });
}

export type ChairAction = { kind: 'decision'; note: string } | ({ kind: 'no-show' } & components['schemas']['NoShowDto']);

/** The chair's record of the panel: the consolidated decision or a no-show. */
export function useChairAction(bookingId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: ChairAction) => {
      if (action.kind === 'decision') return recordDecision(bookingId, action.note);
      const { kind: _kind, ...noShow } = action;
      return recordNoShow(bookingId, noShow);
    },
    onSuccess: async (panel) => {
      qc.setQueryData(panelKeys.detail(bookingId), panel);
      await qc.invalidateQueries({ queryKey: panelKeys.mine() });
    },
  });
}

export function useWithdrawFromPanel(bookingId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) => withdraw(bookingId, reason),
    onSuccess: () => qc.invalidateQueries({ queryKey: panelKeys.all }),
  });
}

export { downloadAttachment } from '../../../lib/attachments';
