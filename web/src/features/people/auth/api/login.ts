import { useMutation } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export type LoginRequest = components['schemas']['LoginDto'];

/** The ways to finish a sign-in that a 401 `mfa_required` / `mfa_invalid` names ('totp', 'passkey'). */
export type SecondFactorMethod = 'totp' | 'passkey';

export const login = async (body: LoginRequest) => {
  const result = await api.POST('/api/auth/login', { body });
  try {
    return unwrap(result);
  } catch (error) {
    const methods = (result.error as { methods?: unknown } | undefined)?.methods;
    throw Object.assign(error as Error, Array.isArray(methods) ? { methods } : {});
  }
};

/** The second factors a refused sign-in offers; TOTP when the answer names none (as before passkeys). */
export function methodsOf(error: unknown): SecondFactorMethod[] {
  const methods = (error as { methods?: unknown }).methods;
  return Array.isArray(methods) ? methods.filter((m): m is SecondFactorMethod => m === 'totp' || m === 'passkey') : ['totp'];
}

export const useLogin = () => useMutation({ mutationFn: login });
