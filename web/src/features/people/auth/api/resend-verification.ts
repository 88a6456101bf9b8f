import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/** Answers 202 whether or not the address has an account, so it reveals none. */
export const resendVerification = async (email: string) => unwrap(await api.POST('/api/auth/resend-verification', { body: { email } }));

export const useResendVerification = () => useMutation({ mutationFn: resendVerification });
