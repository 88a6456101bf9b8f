import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

export const listUsers = async () => unwrap(await api.GET('/api/admin/users'));
export const useUserList = () => useQuery({ queryKey: ['admin', 'users'], queryFn: listUsers });
