import { type PublicKeyCredentialCreationOptionsJSON, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';
import { ME_KEY } from '../../../../lib/auth/session';

export type Passkey = components['schemas']['PasskeyDto'];
export type EnrolledPasskey = components['schemas']['PasskeyEnrolledDto'];

const PASSKEYS_KEY = ['me', 'passkeys'] as const;

export const listPasskeys = async () => unwrap(await api.GET('/api/me/second-factor/passkeys'));

/**
 * Adds a passkey: the server's creation options, the browser's ceremony (the person picks an
 * authenticator and verifies with a PIN or biometric), then the answer back to the server.
 */
export async function addPasskey(name: string): Promise<EnrolledPasskey> {
  const { options } = unwrap(await api.POST('/api/me/second-factor/passkeys/options'));
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return unwrap(await api.POST('/api/me/second-factor/passkeys', { body: { name, response: response as never } }));
}

export const removePasskey = async (passkeyId: string) =>
  unwrap(await api.DELETE('/api/me/second-factor/passkeys/{passkeyId}', { params: { path: { passkeyId } } }));

export const usePasskeys = () => useQuery({ queryKey: PASSKEYS_KEY, queryFn: listPasskeys });

/** The list and the account's `secondFactor` (GET /api/me) change with these. */
function usePasskeyMutation<A, T>(mutationFn: (arg: A) => Promise<T>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: PASSKEYS_KEY }),
        queryClient.invalidateQueries({ queryKey: ME_KEY, exact: true }),
      ]),
  });
}

export const useAddPasskey = () => usePasskeyMutation(addPasskey);
export const useRemovePasskey = () => usePasskeyMutation(removePasskey);
