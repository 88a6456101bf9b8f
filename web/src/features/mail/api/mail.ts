import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';
import { saveDownload } from '../../../lib/download';

export type MailMessage = components['schemas']['MailMessageDto'];
/** The mail list's filters, as the address and `GET /api/admin/mail` both take them. */
export const MAIL_FILTERS = ['query', 'template', 'state', 'from', 'to'] as const;

export const listMail = async (query: Record<string, string | number>) => unwrap(await api.GET('/api/admin/mail', { params: { query } }));
export const useMailList = (query: Record<string, string | number>) =>
  useQuery({ queryKey: ['admin', 'mail', 'list', query], queryFn: () => listMail(query), placeholderData: keepPreviousData });

export async function downloadMailCsv(filters: Record<string, string | number>): Promise<void> {
  const result = await api.GET('/api/admin/mail/export.csv', { params: { query: filters }, parseAs: 'blob' });
  saveDownload(result, `mail-${new Date().toISOString().slice(0, 10)}.csv`, 'The mail list could not be exported; try again');
}

export const getMail = async (id: string) => unwrap(await api.GET('/api/admin/mail/{id}', { params: { path: { id } } }));
export const useMailMessage = (id: string) => useQuery({ queryKey: ['admin', 'mail', id], queryFn: () => getMail(id) });
