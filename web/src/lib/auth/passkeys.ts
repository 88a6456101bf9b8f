import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  WebAuthnError,
} from '@simplewebauthn/browser';
import { useEffect } from 'react';
import { api, unwrap } from '../api/client';
import { useSession } from './session';
import { registerStepUpMethod } from './step-up';

/**
 * What to tell a person when the browser's passkey ceremony did not finish. Cancelling (or the
 * browser's time running out) is the common case and is not an error on their part.
 */
export function passkeyErrorMessage(error: unknown): string {
  const name = error instanceof WebAuthnError ? (error.cause as Error | undefined)?.name : error instanceof Error ? error.name : undefined;
  const code = error instanceof WebAuthnError ? error.code : undefined;
  if (name === 'NotAllowedError' || name === 'AbortError')
    return 'The passkey request was cancelled or timed out. Try again when you are ready.';
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError')
    return 'This device already holds a passkey for your account.';
  if (code === 'ERROR_INVALID_DOMAIN' || name === 'SecurityError') return 'Passkeys cannot be used on this address of the site.';
  if (error instanceof Error && !(error instanceof WebAuthnError) && 'statusCode' in error) return error.message;
  return 'This browser or device could not use a passkey. Try another device, or another way to sign in.';
}

/**
 * Step-up with a passkey (POST /api/me/step-up/passkey): proves a second factor again for this
 * session, with one of the signed-in person's own passkeys. Throws what `unwrap` or the browser threw.
 */
export async function stepUpWithPasskey(): Promise<void> {
  const { challengeId, options } = unwrap(await api.POST('/api/me/step-up/passkey/options'));
  const response = await startAuthentication({ optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON });
  unwrap(await api.POST('/api/me/step-up/passkey', { body: { challengeId, response: response as never } }));
}

/**
 * Offers "Use a passkey" in the step-up dialog while the signed-in account has a passkey and the
 * browser can use one. Mount once, beside StepUpHost.
 */
export function PasskeyStepUp(): null {
  const { user } = useSession();
  const hasPasskey = Boolean(user?.secondFactor.passkey);
  useEffect(() => {
    if (!hasPasskey || !browserSupportsWebAuthn()) return;
    return registerStepUpMethod({ id: 'passkey', label: 'Use a passkey', run: stepUpWithPasskey, errorMessage: passkeyErrorMessage });
  }, [hasPasskey]);
  return null;
}
