import type { AppConfig } from '../../infrastructure/config/app-config';

/** How long a browser has to answer a WebAuthn challenge (the ceremony's own timeout is set to the same). */
export const PASSKEY_CHALLENGE_SECONDS = 300;

/**
 * The WebAuthn relying party is PUBLIC_URL: its host name is the RP ID and its origin the only origin
 * accepted, so a passkey made here answers nowhere else and an answer collected by another site is
 * refused. (Browsers refuse an IP address as RP ID: use a host name, `localhost` included.)
 */
export interface RelyingParty {
  id: string;
  origin: string;
  name: string;
}

export function relyingPartyOf(config: AppConfig): RelyingParty {
  const url = new URL(config.publicUrl);
  return { id: url.hostname, origin: url.origin, name: config.issuerName };
}

/** The WebAuthn user handle: the account id, which says nothing about the person. */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId, 'utf8'));
}
