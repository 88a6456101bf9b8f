import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { REVIEW_QUEUE_KEY } from './review-queue';

export type ItemForReview = components['schemas']['ItemForReviewDto'];
export type ItemReviewRecord = components['schemas']['ItemReviewRecordDto'];
export type SubmitItemReview = components['schemas']['SubmitItemReviewDto'];

export const itemReviewKey = (itemId: string) => ['item-review', 'item', itemId] as const;

export const getItemForReview = async (itemId: string) =>
  unwrap(await api.GET('/api/bank/reviews/{itemId}', { params: { path: { itemId } } }));
export const useItemForReview = (itemId: string) => useQuery({ queryKey: itemReviewKey(itemId), queryFn: () => getItemForReview(itemId) });

export const submitItemReview = async (itemId: string, body: SubmitItemReview) =>
  unwrap(await api.POST('/api/bank/reviews/{itemId}', { params: { path: { itemId } }, body }));

/** Every write answers with the item as the writer now sees it: it replaces the cached view. */
export const useSubmitItemReview = (itemId: string) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SubmitItemReview) => submitItemReview(itemId, body),
    onSuccess: (item) => {
      qc.setQueryData(itemReviewKey(itemId), item);
      void qc.invalidateQueries({ queryKey: REVIEW_QUEUE_KEY });
    },
  });
};
