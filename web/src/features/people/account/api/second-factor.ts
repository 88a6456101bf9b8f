import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import { ME_KEY } from '../../../../lib/auth/session';

/** Starts (or restarts) a TOTP enrolment: a new secret, not yet in force until confirmed with a code. */
export const startTotpEnrolment = async () => unwrap(await api.POST('/api/me/second-factor/totp'));

/** Turns TOTP on; answers the ten recovery codes, shown this once. */
export const confirmTotpEnrolment = async (code: string) =>
  unwrap(await api.POST('/api/me/second-factor/totp/confirm', { body: { code } }));

export const turnOffTotp = async (code: string) => unwrap(await api.DELETE('/api/me/second-factor/totp', { body: { code } }));

/** Replaces every recovery code with a new set of ten. */
export const regenerateRecoveryCodes = async (code: string) =>
  unwrap(await api.POST('/api/me/second-factor/recovery-codes', { body: { code } }));

export const useStartTotpEnrolment = () => useMutation({ mutationFn: startTotpEnrolment });

/** The account's `secondFactor` changes with these: GET /api/me is read again. */
function useAccountMutation<T>(mutationFn: (code: string) => Promise<T>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ME_KEY }) });
}

export const useConfirmTotpEnrolment = () => useAccountMutation(confirmTotpEnrolment);
export const useTurnOffTotp = () => useAccountMutation(turnOffTotp);
export const useRegenerateRecoveryCodes = () => useMutation({ mutationFn: regenerateRecoveryCodes });
