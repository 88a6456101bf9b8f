import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';

export const getAuditActions = async () => unwrap(await api.GET('/api/admin/audit/actions')).actions;
export const useAuditActions = () => useQuery({ queryKey: ['admin', 'audit', 'actions'], queryFn: getAuditActions });
