import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import { ME_KEY } from '../../../../lib/auth/session';

export const verifyEmail = async (token: string) => unwrap(await api.POST('/api/auth/verify-email', { body: { token } }));

/** A signed-in account learns at once that its address is confirmed (the banner goes away). */
export const useVerifyEmail = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: verifyEmail,
    onSuccess: async () => {
      // A first /api/me still in flight may have been read before the address was confirmed, and
      // invalidating joins that fetch rather than starting a new one: cancel it, then fetch again.
      await queryClient.cancelQueries({ queryKey: ME_KEY });
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
};
