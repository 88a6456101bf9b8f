import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type PersonActivity = components['schemas']['PersonActivityDto'];
export type PersonAuditEntry = PersonActivity['auditTrail']['items'][number];

export const getPersonActivity = async (userId: string) =>
  unwrap(await api.GET('/api/admin/users/{userId}/activity', { params: { path: { userId } } }));

/** Under the person's key: a change to the person (roles, standing) refetches their activity too. */
export const usePersonActivity = (userId: string) =>
  useQuery({ queryKey: ['admin', 'person', userId, 'activity'], queryFn: () => getPersonActivity(userId) });
