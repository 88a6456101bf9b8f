import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type AdminDashboard = components['schemas']['AdminDashboardDto'];

export interface PeriodQuery {
  from?: string;
  to?: string;
}

export const getAdminDashboard = async (period: PeriodQuery) =>
  unwrap(await api.GET('/api/admin/dashboard', { params: { query: period } }));

export const useAdminDashboard = (period: PeriodQuery) =>
  // The figures of the last period stay on screen while a new one loads, so the page does not jump under the keyboard focus.
  useQuery({
    queryKey: ['admin', 'dashboard', period.from ?? null, period.to ?? null],
    queryFn: () => getAdminDashboard(period),
    placeholderData: keepPreviousData,
  });
