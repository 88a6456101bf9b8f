import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { itemReviewKey } from './item-review';
import { REVIEW_QUEUE_KEY } from './review-queue';

export type ChangeItemStage = components['schemas']['ChangeItemStageDto'];
export type StageTarget = ChangeItemStage['to'];

export const changeItemStage = async (itemId: string, body: ChangeItemStage) =>
  unwrap(await api.POST('/api/admin/bank/items/{itemId}/stage', { params: { path: { itemId } }, body }));

export const useChangeItemStage = (itemId: string) => {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ChangeItemStage) => changeItemStage(itemId, body),
    onSuccess: (item) => {
      qc.setQueryData(itemReviewKey(itemId), item);
      void qc.invalidateQueries({ queryKey: REVIEW_QUEUE_KEY });
      // The admin bank browser shows the status too.
      void qc.invalidateQueries({ queryKey: ['admin', 'bank'] });
    },
  });
};
