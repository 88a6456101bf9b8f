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
let refreshing: Promise<RefreshOutcome> | null = null;
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

/**
 * What the SPA says when the server stays unavailable (503) or cannot be reached through every retry.
 * Nothing is lost: the session stays, and the exam keeps unsent answers on this device.
 */
export const SERVICE_UNAVAILABLE_MESSAGE = 'The service is briefly unavailable; your answers are safe. Try again in a few seconds.';

/** At most MAX_TRIES sends of one request, at most MAX_WAIT_MS apart, whatever Retry-After asks. */
const MAX_TRIES = 3;
const MAX_WAIT_MS = 10_000;
/** The wait when the answer does not say (a network failure, a proxy's bare 503). */
const DEFAULT_WAIT_MS = 1_000;

/**
 * Requests that may be sent again without doing twice what they ask: reads, and PUT and DELETE, which
 * set a state (answer saves carry the client's sequence number, so an older save never wins).
 * A POST is never repeated: the first one may have been carried out.
 */
const REPEATABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Milliseconds to wait before the next try, from a Retry-After of seconds or of an HTTP date. */
function retryDelayMs(retryAfter: string | null): number {
  if (!retryAfter) return DEFAULT_WAIT_MS;
  const seconds = Number(retryAfter);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_WAIT_MS) : DEFAULT_WAIT_MS;
}

/**
 * Sends, and sends again after a 503 or a network failure when `repeatable`: a server briefly without
 * its database answers 503, a restarting one not at all. Gives up after MAX_TRIES with the last 503, or
 * with an error saying the service is unavailable; an aborted request is never retried.
 */
async function patiently(send: () => Promise<Response>, repeatable: boolean, signal?: AbortSignal): Promise<Response> {
  for (let tries = 1; ; tries += 1) {
    let wait: number;
    try {
      const res = await send();
      if (res.status !== 503 || !repeatable || tries >= MAX_TRIES) return res;
      wait = retryDelayMs(res.headers.get('Retry-After'));
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!repeatable || tries >= MAX_TRIES) throw Object.assign(new Error(SERVICE_UNAVAILABLE_MESSAGE), { cause: error });
      wait = DEFAULT_WAIT_MS;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** How a refresh ended: a new token, the session over (401), or no answer to go by (the server is unavailable). */
export type RefreshOutcome = 'refreshed' | 'ended' | 'unavailable';

/**
 * Exchanges the refresh cookie for a new access token; concurrent callers share one request. Only a 401
 * ends the session here: a refresh the server could not check (503, no network) leaves it as it was.
 * It is repeated like a read: one the server could not carry out rotated nothing, and one whose answer
 * was lost on the way back left this browser the old cookie, which any later refresh would present too.
 */
function renewSession(): Promise<RefreshOutcome> {
  refreshing ??= patiently(() => fetch('/api/auth/refresh', { method: 'POST', credentials: 'same-origin' }), true)
    .then(async (res): Promise<RefreshOutcome> => {
      if (res.status === 401) {
        const body = (await res.json().catch(() => null)) as Partial<ApiError> | null;
        if (body?.reason === 'session_idle' || body?.reason === 'session_expired') endedNotice = body.message ?? null;
        setAccessToken(null);
        return 'ended';
      }
      if (!res.ok) return 'unavailable';
      const body = (await res.json()) as { accessToken: string };
      setAccessToken(body.accessToken);
      return 'refreshed';
    })
    .catch((): RefreshOutcome => 'unavailable')
    .finally(() => (refreshing = null));
  return refreshing;
}

/** Exchanges the refresh cookie for a new access token: true when there is one. */
export async function refreshSession(): Promise<boolean> {
  return (await renewSession()) === 'refreshed';
}

/** The same exchange, saying why there is no token: the session ended, or the server could not be reached. */
export function restoreSession(): Promise<RefreshOutcome> {
  return renewSession();
}

/** The answer a request gets when its expired token could not be renewed for want of the server: a 503, not a 401. */
function unavailable(): Response {
  const body: ApiError = { statusCode: 503, error: 'Service Unavailable', message: SERVICE_UNAVAILABLE_MESSAGE };
  return new Response(JSON.stringify(body), { status: 503, headers: { 'Content-Type': 'application/json' } });
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
  const repeatable = REPEATABLE_METHODS.has(input.method);
  // Every try sends its own copy, so the body can be sent again and the token is the current one.
  const send = () =>
    patiently(
      () => {
        const req = input.clone();
        if (accessToken) req.headers.set('Authorization', `Bearer ${accessToken}`);
        return fetch(req);
      },
      repeatable,
      input.signal,
    );
  let res = await send();
  const path = new URL(input.url).pathname;
  // A 401 from the sign-in routes or the step-up itself is an answer (wrong password or code), not an expired token.
  if (res.status === 401 && !path.startsWith('/api/auth/') && !path.startsWith('/api/me/step-up')) {
    // The access token expired: refresh once and replay the request.
    const renewed = await renewSession();
    if (renewed === 'unavailable') return unavailable();
    if (renewed === 'ended') return res;
    res = await send();
  }
  // A sensitive action needs a recent second factor: ask for it, then replay the request once.
  if (res.status === 403 && stepUpHandler && (await reasonOf(res)) === 'step_up_required' && (await stepUpHandler())) {
    res = await send();
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
    // A 503 is said the same way whoever answered it: the API, or a proxy in front of it with a page of its own.
    const message = result.response.status === 503 ? SERVICE_UNAVAILABLE_MESSAGE : body.message;
    throw Object.assign(new Error(message ?? `Request failed (${result.response.status})`), {
      statusCode: result.response.status,
      ...(typeof body.reason === 'string' ? { reason: body.reason } : {}),
    });
  }
  return result.data as T;
}
