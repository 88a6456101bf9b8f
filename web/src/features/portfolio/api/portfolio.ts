import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, refreshSession, storedAccessToken, unwrap } from '../../../lib/api/client';
import type { DraftChange, DraftOutcome } from '../lib/draft-queue';
import type { components } from '../../../lib/api/schema';

export type Portfolio = components['schemas']['PortfolioDto'];
export type Attachment = components['schemas']['AttachmentDto'];
export type Credential = 'CPAP' | 'CPAA';
export const portfolioKey = (c: Credential) => ['portfolio', c] as const;

export const getPortfolio = async (credential: Credential) =>
  unwrap(await api.GET('/api/portfolios/{credential}', { params: { path: { credential } } }));
export const usePortfolio = (credential: Credential) =>
  useQuery({ queryKey: portfolioKey(credential), queryFn: () => getPortfolio(credential), retry: false });

export const saveContext = async (credential: Credential, body: components['schemas']['DeploymentContextDto']) =>
  unwrap(await api.PUT('/api/portfolios/{credential}/context', { params: { path: { credential } }, body }));

export const saveNarrative = async (credential: Credential, criterion: string, narrative: string) =>
  unwrap(
    await api.PUT('/api/portfolios/{credential}/evidence/{criterion}', {
      params: { path: { credential, criterion } },
      body: { narrative },
    }),
  );

/** One autosaved field: `context.<field>` or `evidence.<criterion>`, mapped onto what the queue does next. */
export async function sendDraftChange(credential: Credential, change: DraftChange): Promise<DraftOutcome> {
  const [kind, ...rest] = change.field.split('.');
  const name = rest.join('.');
  try {
    const { response, error } =
      kind === 'context'
        ? await api.PUT('/api/portfolios/{credential}/context', { params: { path: { credential } }, body: { [name]: change.value } })
        : await api.PUT('/api/portfolios/{credential}/evidence/{criterion}', {
            params: { path: { credential, criterion: name } },
            body: { narrative: change.value },
          });
    if (response.ok) return { outcome: 'saved' };
    const message = (error as { message?: string } | undefined)?.message ?? `Not saved (${response.status})`;
    if (response.status === 409) return { outcome: 'locked', message };
    if (response.status === 429) return { outcome: 'throttled' };
    if (response.status >= 500 || response.status === 401) return { outcome: 'offline' };
    return { outcome: 'rejected', message };
  } catch {
    return { outcome: 'offline' };
  }
}

/**
 * Uploads with progress (fetch cannot report it): XMLHttpRequest with the session's token, refreshed once if it
 * expired. Rejects with the server's message.
 */
export function uploadWithProgress(
  credential: Credential,
  criterion: string,
  file: File,
  onProgress: (fraction: number) => void,
  retried = false,
): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/portfolios/${credential}/evidence/${encodeURIComponent(criterion)}/attachments`);
    const token = storedAccessToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new Error('The upload was interrupted: check your connection and try again'));
    xhr.onload = () => {
      if (xhr.status === 401 && !retried) {
        void refreshSession().then((ok) =>
          ok
            ? uploadWithProgress(credential, criterion, file, onProgress, true).then(resolve, reject)
            : reject(new Error('Sign in again to upload')),
        );
        return;
      }
      let body: { message?: string } & Partial<Attachment> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: a proxy's page
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Attachment);
      else reject(new Error(body.message ?? `The upload failed (${xhr.status})`));
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

export const removeAttachment = async (attachmentId: string) => {
  const { response, error } = await api.DELETE('/api/attachments/{attachmentId}', { params: { path: { attachmentId } } });
  if (!response.ok) throw new Error((error as { message?: string } | undefined)?.message ?? 'The file could not be removed');
};

export const submitPortfolio = async (credential: Credential) =>
  unwrap(await api.POST('/api/portfolios/{credential}/submit', { params: { path: { credential } } }));

export const getFeedback = async (submissionId: string) =>
  unwrap(await api.GET('/api/portfolios/submissions/{submissionId}/feedback', { params: { path: { submissionId } } }));
export const feedbackKey = (submissionId: string) => ['portfolio', 'feedback', submissionId] as const;
export const useFeedback = (submissionId: string) =>
  useQuery({ queryKey: feedbackKey(submissionId), queryFn: () => getFeedback(submissionId) });

export const fileAppeal = async (submissionId: string, grounds: string) =>
  unwrap(await api.POST('/api/portfolios/submissions/{submissionId}/appeal', { params: { path: { submissionId } }, body: { grounds } }));

/** The feedback page shows the filed appeal once the server has it. */
export function useFileAppeal(submissionId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (grounds: string) => fileAppeal(submissionId, grounds),
    onSuccess: () => qc.invalidateQueries({ queryKey: feedbackKey(submissionId) }),
  });
}

export const getSubmissionContent = async (submissionId: string) =>
  unwrap(await api.GET('/api/portfolios/submissions/{submissionId}/content', { params: { path: { submissionId } } }));
/** A submitted version never changes: read once. */
export const useSubmissionContent = (submissionId: string | null) =>
  useQuery({
    queryKey: ['portfolio', 'content', submissionId],
    queryFn: () => getSubmissionContent(submissionId!),
    enabled: Boolean(submissionId),
    staleTime: Infinity,
  });
