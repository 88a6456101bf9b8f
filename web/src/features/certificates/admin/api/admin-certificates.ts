import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

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
  return useMutation({ mutationFn: changeStatus, onSuccess: (data) => qc.setQueryData(['admin', 'certificate', data.number], data) });
};
