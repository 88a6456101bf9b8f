import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

export const confirmEmailChange = async (token: string) => unwrap(await api.POST('/api/auth/confirm-email-change', { body: { token } }));

export const useConfirmEmailChange = () => useMutation({ mutationFn: confirmEmailChange });
