import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const listAccounts = async () =>
  (await unwrap(await api.GET('/api/admin/users', { params: { query: { role: 'reviewer', status: 'active', pageSize: 500 } } }))).items;

/** Raters see every key of the pool, so only reviewers who cannot sit the exam (no candidate role) may be invited. */
export const useEligibleRaters = () =>
  useQuery({
    queryKey: ['admin', 'users', 'reviewer'],
    queryFn: listAccounts,
    select: (accounts) => accounts.filter((a) => a.roles.includes('reviewer') && !a.roles.includes('candidate')),
  });
