import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import { itemReviewKey } from './item-review';

export const addItemComment = async (itemId: string, body: string) =>
  unwrap(await api.POST('/api/bank/reviews/{itemId}/comments', { params: { path: { itemId } }, body: { body } }));

export const useAddItemComment = (itemId: string) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: string) => addItemComment(itemId, body),
    onSuccess: (item) => qc.setQueryData(itemReviewKey(itemId), item),
  });
};
