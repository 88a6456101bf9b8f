import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const listAccounts = async () => unwrap(await api.GET('/api/admin/users'));

/** Raters see every key of the pool, so only reviewers who cannot sit the exam (no candidate role) may be invited. */
export const useEligibleRaters = () =>
  useQuery({
    queryKey: ['admin', 'users'],
    queryFn: listAccounts,
    select: (accounts) => accounts.filter((a) => a.roles.includes('reviewer') && !a.roles.includes('candidate')),
  });
