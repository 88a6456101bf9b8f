import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** Answers 202 whether or not the address has an account, so it reveals none. */
export const forgotPassword = async (email: string) => unwrap(await api.POST('/api/auth/forgot-password', { body: { email } }));

export const useForgotPassword = () => useMutation({ mutationFn: forgotPassword });
