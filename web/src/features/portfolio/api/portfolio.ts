import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type Portfolio = components['schemas']['PortfolioDto'];
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

export async function uploadAttachment(credential: Credential, criterion: string, file: File) {
  const form = new FormData();
  form.append('file', file);
  const result = await api.POST('/api/portfolios/{credential}/evidence/{criterion}/attachments', {
    params: { path: { credential, criterion } },
    body: form as unknown as { file: string },
    bodySerializer: (b) => b as unknown as FormData,
  });
  return unwrap(result);
}

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
