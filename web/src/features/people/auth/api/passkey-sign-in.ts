import { type PublicKeyCredentialRequestOptionsJSON, startAuthentication } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';

/**
 * Signs in with a passkey alone: the server's request options (no list of passkeys: the browser
 * offers those it holds for this site), the browser's ceremony, then the answer back. The answer is
 * the same as a password login's, and the refresh cookie is set the same way.
 */
export async function signInWithPasskey() {
  const { challengeId, options } = unwrap(await api.POST('/api/auth/passkey/options'));
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
  return unwrap(await api.POST('/api/auth/passkey', { body: { challengeId, response: response as never } }));
}

export const usePasskeySignIn = () => useMutation({ mutationFn: signInWithPasskey });
