import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../lib/api/client';
import type { components } from '../../../lib/api/schema';

export type PortfolioOverview = components['schemas']['PortfolioOverviewDto'];
export type MyNotification = components['schemas']['MyNotificationDto'];

export const usePortfolioOverview = () =>
  useQuery({ queryKey: ['portfolios', 'overview'], queryFn: async () => unwrap(await api.GET('/api/portfolios')) });

export const useMyNotifications = () =>
  useQuery({ queryKey: ['notifications', 'mine'], queryFn: async () => unwrap(await api.GET('/api/me/notifications')) });
