import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import { saveDownload } from '../../../lib/download';
import type { components } from '../../../lib/api/schema';

export type Assignment = components['schemas']['AssignmentDto'];
export type ReviewForm = components['schemas']['SubmitReviewDto'];

export const getProfile = async () => unwrap(await api.GET('/api/reviews/profile'));
export const useProfile = () => useQuery({ queryKey: ['review', 'profile'], queryFn: getProfile });
export const saveProfile = async (body: components['schemas']['ReviewerProfileDto']) =>
  unwrap(await api.PUT('/api/reviews/profile', { body }));

export const listAssignments = async () => unwrap(await api.GET('/api/reviews/assignments'));
export const useAssignments = () => useQuery({ queryKey: ['review', 'assignments'], queryFn: listAssignments });

export const accept = async (id: string) => unwrap(await api.POST('/api/reviews/assignments/{id}/accept', { params: { path: { id } } }));
export const decline = async (id: string, conflict: boolean) =>
  unwrap(await api.POST('/api/reviews/assignments/{id}/decline', { params: { path: { id } }, body: { conflict } }));

export const getSubmission = async (id: string) =>
  unwrap(await api.GET('/api/reviews/assignments/{id}/submission', { params: { path: { id } } }));
export const useReviewSubmission = (id: string) => useQuery({ queryKey: ['review', 'submission', id], queryFn: () => getSubmission(id) });

export const submitReview = async (id: string, body: ReviewForm) =>
  unwrap(await api.POST('/api/reviews/assignments/{id}/review', { params: { path: { id } }, body }));

export async function getPeerReviews(id: string) {
  const result = await api.GET('/api/reviews/assignments/{id}/reviews', { params: { path: { id } } });
  return result.response.status === 404 ? null : unwrap(result);
}
export const usePeerReviews = (id: string) => useQuery({ queryKey: ['review', 'peers', id], queryFn: () => getPeerReviews(id) });

/** Attachments need the session's token, so they are fetched and handed to the browser as a download. */
export async function downloadAttachment(attachmentId: string, fileName: string): Promise<void> {
  const result = await api.GET('/api/attachments/{attachmentId}', { params: { path: { attachmentId } }, parseAs: 'blob' });
  saveDownload(result, fileName, 'The file could not be downloaded');
}
