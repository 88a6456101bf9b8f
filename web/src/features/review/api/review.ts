import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type Assignment = components['schemas']['AssignmentDto'];
export type ReviewForm = components['schemas']['SubmitReviewDto'];
export type ReviewDraft = components['schemas']['ReviewDraftDto'];

/** Every query key of the reviewer's pages: pages never spell one out. */
export const reviewKeys = {
  all: ['review'] as const,
  profile: () => [...reviewKeys.all, 'profile'] as const,
  assignments: () => [...reviewKeys.all, 'assignments'] as const,
  submission: (assignmentId: string) => [...reviewKeys.all, 'submission', assignmentId] as const,
  peers: (assignmentId: string) => [...reviewKeys.all, 'peers', assignmentId] as const,
};

export const getProfile = async () => unwrap(await api.GET('/api/reviews/profile'));
export const useProfile = () => useQuery({ queryKey: reviewKeys.profile(), queryFn: getProfile });
export const saveProfile = async (body: components['schemas']['ReviewerProfileDto']) =>
  unwrap(await api.PUT('/api/reviews/profile', { body }));

export const listAssignments = async () => unwrap(await api.GET('/api/reviews/assignments'));
export const useAssignments = () => useQuery({ queryKey: reviewKeys.assignments(), queryFn: listAssignments });

export const accept = async (id: string) => unwrap(await api.POST('/api/reviews/assignments/{id}/accept', { params: { path: { id } } }));
export const decline = async (id: string, conflict: boolean) =>
  unwrap(await api.POST('/api/reviews/assignments/{id}/decline', { params: { path: { id } }, body: { conflict } }));

export const getSubmission = async (id: string) =>
  unwrap(await api.GET('/api/reviews/assignments/{id}/submission', { params: { path: { id } } }));
export const useReviewSubmission = (id: string) => useQuery({ queryKey: reviewKeys.submission(id), queryFn: () => getSubmission(id) });

export const submitReview = async (id: string, body: ReviewForm) =>
  unwrap(await api.POST('/api/reviews/assignments/{id}/review', { params: { path: { id } }, body }));

/** Answering an offer; the list is refetched whatever the answer, since a refusal may mean the offer moved on. */
export function useAnswerOffer() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, answer }: { id: string; answer: 'accept' | 'decline' | 'conflict' }) =>
      answer === 'accept' ? accept(id) : decline(id, answer === 'conflict'),
    onSettled: () => qc.invalidateQueries({ queryKey: reviewKeys.assignments() }),
  });
}

export function useSaveProfile() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: saveProfile, onSuccess: () => qc.invalidateQueries({ queryKey: reviewKeys.profile() }) });
}

export function useSubmitReview(assignmentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReviewForm) => submitReview(assignmentId, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

export async function getPeerReviews(id: string) {
  const result = await api.GET('/api/reviews/assignments/{id}/reviews', { params: { path: { id } } });
  return result.response.status === 404 ? null : unwrap(result);
}
export const usePeerReviews = (id: string) => useQuery({ queryKey: reviewKeys.peers(id), queryFn: () => getPeerReviews(id) });

export { downloadAttachment } from '../../../lib/attachments';

/** The review in progress, as last autosaved on the server; null when none was saved yet. */
export async function getDraft(id: string): Promise<(ReviewDraft & { updatedAt: string }) | null> {
  const result = await api.GET('/api/reviews/assignments/{id}/draft', { params: { path: { id } } });
  return result.response.status === 404 ? null : unwrap(result);
}
export const useReviewDraft = (id: string) =>
  useQuery({ queryKey: [...reviewKeys.all, 'draft', id], queryFn: () => getDraft(id), staleTime: Infinity, refetchOnWindowFocus: false });
export const saveDraft = async (id: string, body: ReviewDraft) =>
  unwrap(await api.PUT('/api/reviews/assignments/{id}/draft', { params: { path: { id } }, body }));
