import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { saveDownload } from '../../../../lib/download';

export type CertificateRow = components['schemas']['AdminCertificateRowDto'];
/** The certificates list's filters, as the address and `GET /api/admin/certificates` both take them. */
export const CERTIFICATE_FILTERS = ['query', 'credential', 'status', 'issuedFrom', 'issuedTo', 'expiringBefore'] as const;

export const searchCertificates = async (query: Record<string, string | number>) =>
  unwrap(await api.GET('/api/admin/certificates', { params: { query } }));
export const useCertificates = (query: Record<string, string | number>) =>
  useQuery({ queryKey: ['admin', 'certificates', query], queryFn: () => searchCertificates(query), placeholderData: keepPreviousData });

export async function downloadCertificatesCsv(filters: Record<string, string | number>): Promise<void> {
  const result = await api.GET('/api/admin/certificates/export.csv', { params: { query: filters }, parseAs: 'blob' });
  saveDownload(result, `certificates-${new Date().toISOString().slice(0, 10)}.csv`, 'The certificates could not be exported; try again');
}

export const findCertificate = async (number: string) =>
  unwrap(await api.GET('/api/admin/certificates/{number}', { params: { path: { number } } }));
export const useAdminCertificate = (number: string | null) =>
  useQuery({ queryKey: ['admin', 'certificate', number], queryFn: () => findCertificate(number!), enabled: Boolean(number), retry: false });

type Action = 'revoke' | 'suspend' | 'reinstate';

export const changeStatus = async ({ number, action, reason }: { number: string; action: Action; reason: string }) => {
  const path = { params: { path: { number } } };
  if (action === 'reinstate') return unwrap(await api.POST('/api/admin/certificates/{number}/reinstate', path));
  if (action === 'revoke') return unwrap(await api.POST('/api/admin/certificates/{number}/revoke', { ...path, body: { reason } }));
  return unwrap(await api.POST('/api/admin/certificates/{number}/suspend', { ...path, body: { reason } }));
};

export const useChangeStatus = () => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: changeStatus,
    onSuccess: async (data) => {
      qc.setQueryData(['admin', 'certificate', data.number], data);
      await qc.invalidateQueries({ queryKey: ['admin', 'certificates'] });
    },
  });
};
