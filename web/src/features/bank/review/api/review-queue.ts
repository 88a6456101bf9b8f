import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type QueueEntry = components['schemas']['ReviewQueueEntryDto'];
export const REVIEW_QUEUE_KEY = ['item-review', 'queue'] as const;

export const getReviewQueue = async () => unwrap(await api.GET('/api/bank/reviews'));
export const useReviewQueue = () => useQuery({ queryKey: REVIEW_QUEUE_KEY, queryFn: getReviewQueue });
