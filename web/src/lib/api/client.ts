import createClient from 'openapi-fetch';
import type { paths } from './schema';

/**
 * The short-lived access token is kept for this tab (sessionStorage) so a reload does not need a
 * refresh call: a reload that aborts a refresh in flight would otherwise present a rotated refresh
 * token next time, which the server treats as theft and answers by ending the session. The refresh
 * token itself is an HttpOnly cookie the script never sees.
 */
const STORAGE_KEY = 'psf.accessToken';
let accessToken: string | null = null;

function expiryOf(token: string): number {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
  } catch {
    return 0;
  }
}

/** The stored access token when it still has at least 30 seconds to live. */
export function storedAccessToken(): string | null {
  const token = window.sessionStorage.getItem(STORAGE_KEY);
  return token && expiryOf(token) - Date.now() > 30_000 ? token : null;
}
let refreshing: Promise<boolean> | null = null;
const listeners = new Set<(signedIn: boolean) => void>();
/** Why the server ended the session by itself (idle staff session, absolute lifetime), for the sign-in page. */
let endedNotice: string | null = null;
/** Answers a 403 `step_up_required`: asks the person to prove a second factor (lib/auth/step-up); true when they did. */
let stepUpHandler: (() => Promise<boolean>) | null = null;

export function setStepUpHandler(handler: (() => Promise<boolean>) | null): void {
  stepUpHandler = handler;
}

/** The server's explanation when the session ended on its own (401 `session_idle` / `session_expired`), until the next sign-in. */
export function sessionEndedNotice(): string | null {
  return endedNotice;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
  if (token) endedNotice = null;
  if (token) window.sessionStorage.setItem(STORAGE_KEY, token);
  else window.sessionStorage.removeItem(STORAGE_KEY);
  listeners.forEach((l) => l(token !== null));
}

export function onSessionChange(listener: (signedIn: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Exchanges the refresh cookie for a new access token; concurrent callers share one request. */
export function refreshSession(): Promise<boolean> {
  refreshing ??= fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as Partial<ApiError> | null;
        if (body?.reason === 'session_idle' || body?.reason === 'session_expired') endedNotice = body.message ?? null;
        setAccessToken(null);
        return false;
      }
      const body = (await res.json()) as { accessToken: string };
      setAccessToken(body.accessToken);
      return true;
    })
    .catch(() => false)
    .finally(() => (refreshing = null));
  return refreshing;
}

/** The `reason` of an error answer, read from a copy so that the caller can still read the body. */
async function reasonOf(res: Response): Promise<string | undefined> {
  const body = (await res
    .clone()
    .json()
    .catch(() => null)) as Partial<ApiError> | null;
  return typeof body?.reason === 'string' ? body.reason : undefined;
}

async function authorisedFetch(input: Request): Promise<Response> {
  const original = input.clone();
  const withToken = (req: Request) => {
    if (accessToken) req.headers.set('Authorization', `Bearer ${accessToken}`);
    return fetch(req);
  };
  let res = await withToken(input);
  const path = new URL(input.url).pathname;
  // A 401 from the sign-in routes or the step-up itself is an answer (wrong password or code), not an expired token.
  if (res.status === 401 && !path.startsWith('/api/auth/') && !path.startsWith('/api/me/step-up')) {
    // The access token expired: refresh once and replay the request.
    if (!(await refreshSession())) return res;
    res = await withToken(original.clone());
  }
  // A sensitive action needs a recent second factor: ask for it, then replay the request once.
  if (res.status === 403 && stepUpHandler && (await reasonOf(res)) === 'step_up_required' && (await stepUpHandler())) {
    res = await withToken(original.clone());
  }
  return res;
}

export const api = createClient<paths>({ baseUrl: window.location.origin, fetch: authorisedFetch, credentials: 'same-origin' });

export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
  /** Why, where the contract names it (e.g. 'mfa_required', 'email_unverified'): read with lib/api/errors. */
  reason?: string;
}

/** Unwraps an openapi-fetch result, throwing the contract's error body so forms can show its message. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const body = (typeof result.error === 'object' && result.error !== null ? result.error : {}) as Partial<ApiError>;
    throw Object.assign(new Error(body.message ?? `Request failed (${result.response.status})`), {
      statusCode: result.response.status,
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
    });
  }
  return result.data as T;
}
