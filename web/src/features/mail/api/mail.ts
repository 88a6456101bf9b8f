import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

export const listMail = async () => unwrap(await api.GET('/api/admin/mail'));
export const useMailList = () => useQuery({ queryKey: ['admin', 'mail'], queryFn: listMail });

export const getMail = async (id: string) => unwrap(await api.GET('/api/admin/mail/{id}', { params: { path: { id } } }));
export const useMailMessage = (id: string) => useQuery({ queryKey: ['admin', 'mail', id], queryFn: () => getMail(id) });
