import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const resetPassword = async (body: { token: string; password: string }) =>
  unwrap(await api.POST('/api/auth/reset-password', { body }));

export const useResetPassword = () => useMutation({ mutationFn: resetPassword });
