import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type DataExport = components['schemas']['DataExportDto'];

const EXPORTS_KEY = ['me', 'data-exports'] as const;

/** My latest exports, newest first; polled while one is being built so the status changes by itself. */
export const useDataExports = () =>
  useQuery({
    queryKey: EXPORTS_KEY,
    queryFn: async () => unwrap(await api.GET('/api/me/data-export')),
    refetchInterval: (query) => (query.state.data?.[0]?.status === 'queued' ? 3000 : false),
  });

export const useDataExport = (id: string) =>
  useQuery({
    queryKey: [...EXPORTS_KEY, id],
    queryFn: async () => unwrap(await api.GET('/api/me/data-export/{id}', { params: { path: { id } } })),
    refetchInterval: (query) => (query.state.data?.status === 'queued' ? 3000 : false),
  });

/** 202: a job builds the archive and e-mails a link; 409 while one is built, 429 within the hour. */
export const useRequestDataExport = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/me/data-export')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: EXPORTS_KEY }),
  });
};

/** The file needs both this session and the e-mailed token; fetched with the token and handed to the browser. */
export async function downloadDataExport(id: string, token: string): Promise<void> {
  const result = await api.GET('/api/me/data-export/{id}/download', { params: { path: { id }, query: { token } }, parseAs: 'blob' });
  if (result.response.status === 410) throw new Error('This link has expired. Ask for your data again from your account page.');
  saveDownload(result, 'psf-personal-data.zip', 'The file could not be downloaded: open the link from the newest e-mail, or ask again');
}

/** 202: the account is erased at once and every session ends. */
export const useDeleteAccount = () =>
  useMutation({
    mutationFn: async (body: { password: string; confirm: 'DELETE' }) => unwrap(await api.POST('/api/me/deletion', { body })),
  });
