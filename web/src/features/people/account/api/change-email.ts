import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** 202 whether or not the new address has an account: a link goes to it (or a notice to its owner). */
export const requestEmailChange = async (body: { newEmail: string; password: string }) => unwrap(await api.POST('/api/me/email', { body }));

export const useRequestEmailChange = () => useMutation({ mutationFn: requestEmailChange });
