import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** 204; every other session of the account ends, this one stays. */
export const changePassword = async (body: { currentPassword: string; newPassword: string }) =>
  unwrap(await api.PUT('/api/me/password', { body }));

export const useChangePassword = () => useMutation({ mutationFn: changePassword });
