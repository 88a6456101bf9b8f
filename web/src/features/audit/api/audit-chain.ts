import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type AuditChainReport = components['schemas']['AuditChainReportDto'];

export const verifyAuditChain = async () => unwrap(await api.GET('/api/admin/audit/verify'));
/** Verification reads the whole log: once per visit, not on every filter change. */
export const useAuditChain = () =>
  useQuery({ queryKey: ['admin', 'audit', 'verify'], queryFn: verifyAuditChain, staleTime: 60_000, refetchOnWindowFocus: false });
