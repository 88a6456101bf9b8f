import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserWindowShim, MemoryStorage } from '../../test-support/memory-storage';

import type * as ClientModule from './client';

type Client = typeof ClientModule;

const NOW = Date.parse('2030-05-01T09:00:00.000Z');
const STORAGE_KEY = 'psf.accessToken';

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A JWT-shaped token expiring `ttlMs` from NOW (only the payload's exp matters to the client). */
function token(ttlMs: number, sub = 'user-1'): string {
  return `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub, exp: (NOW + ttlMs) / 1000 })}.signature`;
}

interface Sent {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const status = (code: number) => new Response(null, { status: code });
/** The API's answer while its database is unreachable. */
const unavailable = (retryAfter: string | null = '5') =>
  new Response(
    JSON.stringify({ statusCode: 503, error: 'Service Unavailable', message: 'The service is briefly unavailable', retryAfter: 5 }),
    { status: 503, headers: { 'Content-Type': 'application/json', ...(retryAfter === null ? {} : { 'Retry-After': retryAfter }) } },
  );
/** Answers in turn, the last one for every request after. */
const inTurn = (...answers: Array<() => Response | Promise<Response>>) => {
  let next = 0;
  return () => answers[Math.min(next++, answers.length - 1)]();
};

describe('API client', () => {
  let client: Client;
  let session: MemoryStorage;
  let sent: Sent[];
  /** Answers each request the client sends; replaced by the tests. */
  let server: (request: Sent) => Response | Promise<Response>;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    session = new MemoryStorage();
    vi.stubGlobal('window', browserWindowShim(session));
    sent = [];
    server = () => status(500);
    vi.stubGlobal('fetch', async (input: Request | string, init?: RequestInit) => {
      const request: Sent =
        typeof input === 'string'
          ? { method: init?.method ?? 'GET', path: input, authorization: null, body: '' }
          : {
              method: input.method,
              path: new URL(input.url).pathname,
              authorization: input.headers.get('Authorization'),
              body: await input.text(),
            };
      sent.push(request);
      return server(request);
    });
    // Fresh module state (token, refresh in flight, listeners) for every test, imported after `window` exists.
    vi.resetModules();
    client = await import('./client');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('storedAccessToken', () => {
    it("returns the tab's token while it has more than thirty seconds to live", () => {
      const stored = token(31_000);
      session.setItem(STORAGE_KEY, stored);

      expect(client.storedAccessToken()).toBe(stored);
    });

    it('refuses a token with thirty seconds or less to live', () => {
      session.setItem(STORAGE_KEY, token(30_000));
      expect(client.storedAccessToken()).toBeNull();

      session.setItem(STORAGE_KEY, token(-60_000));
      expect(client.storedAccessToken()).toBeNull();
    });

    it('stops returning a token as time passes', () => {
      const stored = token(5 * 60_000);
      session.setItem(STORAGE_KEY, stored);
      expect(client.storedAccessToken()).toBe(stored);

      vi.setSystemTime(NOW + 4 * 60_000 + 30_000);
      expect(client.storedAccessToken()).toBeNull();
    });

    it('reads payloads that use the base64url alphabet', () => {
      const stored = token(10 * 60_000, '>>>???~~~');
      expect(stored.split('.')[1]).toMatch(/[-_]/);
      session.setItem(STORAGE_KEY, stored);

      expect(client.storedAccessToken()).toBe(stored);
    });

    it('returns nothing when no token or an unreadable one is stored', () => {
      expect(client.storedAccessToken()).toBeNull();

      session.setItem(STORAGE_KEY, 'not-a-jwt');
      expect(client.storedAccessToken()).toBeNull();
      session.setItem(STORAGE_KEY, `${base64url({})}.${base64url({ sub: 'no-exp' })}.sig`);
      expect(client.storedAccessToken()).toBeNull();
    });
  });

  describe('setAccessToken', () => {
    it('keeps the token for this tab and tells listeners the session changed', () => {
      const changes: boolean[] = [];
      client.onSessionChange((signedIn) => changes.push(signedIn));
      const t = token(60_000);

      client.setAccessToken(t);
      expect(session.getItem(STORAGE_KEY)).toBe(t);
      client.setAccessToken(null);
      expect(session.getItem(STORAGE_KEY)).toBeNull();
      expect(changes).toEqual([true, false]);
    });

    it('stops telling a listener once it unsubscribes', () => {
      const changes: boolean[] = [];
      const unsubscribe = client.onSessionChange((signedIn) => changes.push(signedIn));
      unsubscribe();
      client.setAccessToken(token(60_000));

      expect(changes).toEqual([]);
    });
  });

  describe('refreshSession', () => {
    it('posts to the refresh endpoint with the cookie and keeps the new token', async () => {
      const fresh = token(15 * 60_000);
      server = () => json({ accessToken: fresh });

      await expect(client.refreshSession()).resolves.toBe(true);
      expect(sent).toEqual([{ method: 'POST', path: '/api/auth/refresh', authorization: null, body: '' }]);
      expect(session.getItem(STORAGE_KEY)).toBe(fresh);
    });

    it('shares one request among concurrent callers', async () => {
      let answer: (response: Response) => void = () => undefined;
      server = () => new Promise<Response>((resolve) => (answer = resolve));

      const first = client.refreshSession();
      const second = client.refreshSession();
      await vi.waitFor(() => expect(sent).toHaveLength(1));
      const third = client.refreshSession();
      answer(json({ accessToken: token(15 * 60_000) }));

      await expect(Promise.all([first, second, third])).resolves.toEqual([true, true, true]);
      expect(sent).toHaveLength(1);
    });

    it('sends a new request once the previous refresh has finished', async () => {
      server = () => json({ accessToken: token(15 * 60_000) });
      await client.refreshSession();
      await client.refreshSession();

      expect(sent).toHaveLength(2);
    });

    it('signs out and returns false when the server refuses', async () => {
      const changes: boolean[] = [];
      client.setAccessToken(token(60_000));
      client.onSessionChange((signedIn) => changes.push(signedIn));
      server = () => status(401);

      await expect(client.refreshSession()).resolves.toBe(false);
      expect(session.getItem(STORAGE_KEY)).toBeNull();
      expect(changes).toEqual([false]);
    });

    it('returns false without signing out when the network fails', async () => {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
      const kept = token(60_000);
      client.setAccessToken(kept);
      server = () => Promise.reject(new TypeError('Failed to fetch'));

      const refreshed = client.refreshSession();
      await vi.advanceTimersByTimeAsync(2_000);
      await expect(refreshed).resolves.toBe(false);
      expect(sent).toHaveLength(3);
      expect(session.getItem(STORAGE_KEY)).toBe(kept);
    });

    it('keeps the session when the server cannot check it (503), retrying as Retry-After says', async () => {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
      const kept = token(60_000);
      client.setAccessToken(kept);
      const changes: boolean[] = [];
      client.onSessionChange((signedIn) => changes.push(signedIn));
      server = () => unavailable('2');

      const refreshed = client.refreshSession();
      await vi.advanceTimersByTimeAsync(4_000);
      await expect(refreshed).resolves.toBe(false);
      expect(sent.map((r) => r.path)).toEqual(['/api/auth/refresh', '/api/auth/refresh', '/api/auth/refresh']);
      expect(session.getItem(STORAGE_KEY)).toBe(kept);
      expect(changes).toEqual([]);
    });

    it('takes the new token when a retried refresh succeeds', async () => {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
      const fresh = token(15 * 60_000);
      server = inTurn(
        () => unavailable('1'),
        () => json({ accessToken: fresh }),
      );

      const refreshed = client.refreshSession();
      await vi.advanceTimersByTimeAsync(1_000);
      await expect(refreshed).resolves.toBe(true);
      expect(session.getItem(STORAGE_KEY)).toBe(fresh);
    });
  });

  describe('authorised requests', () => {
    it('send the access token as a bearer token', async () => {
      const t = token(60_000);
      client.setAccessToken(t);
      server = () => json({ ok: true });

      await client.api.GET('/api/exams/aida');
      expect(sent).toEqual([{ method: 'GET', path: '/api/exams/aida', authorization: `Bearer ${t}`, body: '' }]);
    });

    it('go without an Authorization header when signed out', async () => {
      server = () => json({ ok: true });

      await client.api.GET('/api/exams/aida');
      expect(sent[0].authorization).toBeNull();
    });

    it('refresh once after a 401 and replay the request with the new token', async () => {
      const expired = token(10_000);
      const fresh = token(15 * 60_000);
      client.setAccessToken(expired);
      server = (r) => {
        if (r.path === '/api/auth/refresh') return json({ accessToken: fresh });
        return r.authorization === `Bearer ${fresh}` ? json({ title: 'AIDA' }) : status(401);
      };

      const result = await client.api.GET('/api/exams/aida');
      expect(result.response.status).toBe(200);
      expect(result.data).toEqual({ title: 'AIDA' });
      expect(sent.map((r) => [r.method, r.path, r.authorization])).toEqual([
        ['GET', '/api/exams/aida', `Bearer ${expired}`],
        ['POST', '/api/auth/refresh', null],
        ['GET', '/api/exams/aida', `Bearer ${fresh}`],
      ]);
    });

    it('replay a saved answer with its body intact', async () => {
      const fresh = token(15 * 60_000);
      client.setAccessToken(token(10_000));
      server = (r) => {
        if (r.path === '/api/auth/refresh') return json({ accessToken: fresh });
        return r.authorization === `Bearer ${fresh}` ? status(204) : status(401);
      };

      const { response } = await client.api.PUT('/api/exams/aida/attempts/{attemptId}/answers/{questionId}', {
        params: { path: { attemptId: 'att-1', questionId: 'q-7' } },
        body: { optionId: 'o-2', flagged: true, clientSeq: 42 },
      });

      expect(response.status).toBe(204);
      const saves = sent.filter((r) => r.method === 'PUT');
      expect(saves).toHaveLength(2);
      expect(saves[1].path).toBe('/api/exams/aida/attempts/att-1/answers/q-7');
      expect(JSON.parse(saves[1].body)).toEqual({ optionId: 'o-2', flagged: true, clientSeq: 42 });
      expect(saves[1].body).toBe(saves[0].body);
    });

    it('return the 401 without replaying when the refresh fails', async () => {
      client.setAccessToken(token(10_000));
      server = () => status(401);

      const { response } = await client.api.GET('/api/exams/aida');
      expect(response.status).toBe(401);
      expect(sent.map((r) => r.path)).toEqual(['/api/exams/aida', '/api/auth/refresh']);
    });

    it('replay only once when the replay is refused too', async () => {
      client.setAccessToken(token(10_000));
      server = (r) => (r.path === '/api/auth/refresh' ? json({ accessToken: token(15 * 60_000) }) : status(401));

      const { response } = await client.api.GET('/api/exams/aida');
      expect(response.status).toBe(401);
      expect(sent.map((r) => r.path)).toEqual(['/api/exams/aida', '/api/auth/refresh', '/api/exams/aida']);
    });

    it('share one refresh when several requests meet an expired token', async () => {
      const fresh = token(15 * 60_000);
      client.setAccessToken(token(10_000));
      server = (r) => {
        if (r.path === '/api/auth/refresh') return json({ accessToken: fresh });
        return r.authorization === `Bearer ${fresh}` ? json({}) : status(401);
      };

      const results = await Promise.all([client.api.GET('/api/exams/aida'), client.api.GET('/api/exams/aida/attempts')]);
      expect(results.map((r) => r.response.status)).toEqual([200, 200]);
      expect(sent.filter((r) => r.path === '/api/auth/refresh')).toHaveLength(1);
    });

    it('never refresh for the authentication endpoints themselves', async () => {
      client.setAccessToken(token(10_000));
      server = () => status(401);

      const { response } = await client.api.POST('/api/auth/logout');
      expect(response.status).toBe(401);
      expect(sent.map((r) => r.path)).toEqual(['/api/auth/logout']);
    });

    it('do not refresh for errors other than 401', async () => {
      client.setAccessToken(token(60_000));
      server = () => status(403);

      const { response } = await client.api.GET('/api/exams/aida');
      expect(response.status).toBe(403);
      expect(sent).toHaveLength(1);
    });
  });

  describe('while the service is briefly unavailable', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
      vi.setSystemTime(NOW);
    });

    it('retry a read after a 503, waiting as long as Retry-After says', async () => {
      client.setAccessToken(token(60_000));
      server = inTurn(
        () => unavailable('2'),
        () => json({ title: 'AIDA' }),
      );

      const result = client.api.GET('/api/exams/aida');
      await vi.advanceTimersByTimeAsync(1_999);
      expect(sent).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect((await result).data).toEqual({ title: 'AIDA' });
      expect(sent).toHaveLength(2);
    });

    it('read Retry-After given as an HTTP date', async () => {
      server = inTurn(
        () => unavailable(new Date(NOW + 3_000).toUTCString()),
        () => json({}),
      );

      const result = client.api.GET('/api/exams/aida');
      await vi.advanceTimersByTimeAsync(2_999);
      expect(sent).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect((await result).response.status).toBe(200);
    });

    it('wait at most ten seconds between tries and give up after three with a message saying nothing is lost', async () => {
      server = () => unavailable('3600');

      const result = client.api.GET('/api/exams/aida');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(sent).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(10_000);
      const answer = await result;
      expect(sent).toHaveLength(3);
      expect(answer.response.status).toBe(503);
      expect(() => client.unwrap(answer)).toThrow(
        expect.objectContaining({ message: client.SERVICE_UNAVAILABLE_MESSAGE, statusCode: 503 }),
      );
    });

    it('retry an answer save, a PUT with its sequence number, with its body intact', async () => {
      server = inTurn(
        () => unavailable('1'),
        () => status(204),
      );

      const saved = client.api.PUT('/api/exams/aida/attempts/{attemptId}/answers/{questionId}', {
        params: { path: { attemptId: 'att-1', questionId: 'q-7' } },
        body: { optionId: 'o-2', flagged: false, clientSeq: 43 },
      });
      await vi.advanceTimersByTimeAsync(1_000);

      expect((await saved).response.status).toBe(204);
      expect(sent).toHaveLength(2);
      expect(JSON.parse(sent[1].body)).toEqual({ optionId: 'o-2', flagged: false, clientSeq: 43 });
    });

    it('never repeat a POST, which the server may have carried out', async () => {
      server = () => unavailable('1');

      const { response } = await client.api.POST('/api/exams/aida/attempts/{attemptId}/submit', {
        params: { path: { attemptId: 'att-1' } },
      });
      expect(response.status).toBe(503);
      expect(sent).toHaveLength(1);
    });

    it('retry after a network failure, then say the service is unavailable', async () => {
      server = () => Promise.reject(new TypeError('Failed to fetch'));

      const result = client.api.GET('/api/exams/aida');
      const failed = expect(result).rejects.toThrow(client.SERVICE_UNAVAILABLE_MESSAGE);
      await vi.advanceTimersByTimeAsync(2_000);
      await failed;
      expect(sent).toHaveLength(3);
    });

    it('never sign out on a 503', async () => {
      const kept = token(60_000);
      client.setAccessToken(kept);
      const changes: boolean[] = [];
      client.onSessionChange((signedIn) => changes.push(signedIn));
      server = () => unavailable('1');

      const result = client.api.GET('/api/me');
      await vi.advanceTimersByTimeAsync(2_000);
      expect((await result).response.status).toBe(503);
      expect(session.getItem(STORAGE_KEY)).toBe(kept);
      expect(changes).toEqual([]);
    });

    it('answer 503, not 401, when an expired token cannot be renewed for want of the server', async () => {
      const expired = token(10_000);
      client.setAccessToken(expired);
      server = (r) => (r.path === '/api/auth/refresh' ? unavailable('1') : status(401));

      const result = client.api.GET('/api/exams/aida');
      await vi.advanceTimersByTimeAsync(2_000);
      const answer = await result;

      expect(answer.response.status).toBe(503);
      expect(() => client.unwrap(answer)).toThrow(expect.objectContaining({ statusCode: 503 }));
      expect(session.getItem(STORAGE_KEY)).toBe(expired);
    });
  });

  describe('unwrap', () => {
    it('returns the data of a successful answer', () => {
      expect(client.unwrap({ data: { id: 'a' }, response: status(200) })).toEqual({ id: 'a' });
    });

    it("throws the contract's error message with the status code", () => {
      const error = { statusCode: 409, error: 'Conflict', message: 'The attempt is closed.' };
      expect(() => client.unwrap({ error, response: status(409) })).toThrow(
        expect.objectContaining({ message: 'The attempt is closed.', statusCode: 409 }),
      );
    });

    it('carries the reason the error body gives', () => {
      const error = { statusCode: 401, error: 'Unauthorized', message: 'Enter your authentication code', reason: 'mfa_required' };
      expect(() => client.unwrap({ error, response: status(401) })).toThrow(
        expect.objectContaining({ message: 'Enter your authentication code', statusCode: 401, reason: 'mfa_required' }),
      );
    });

    it('says a bare 503 (a proxy in front of the API) the same way as the API does', () => {
      expect(() => client.unwrap({ response: status(503) })).toThrow(
        expect.objectContaining({ message: client.SERVICE_UNAVAILABLE_MESSAGE, statusCode: 503 }),
      );
    });

    it('throws a generic message when the error has no body', () => {
      expect(() => client.unwrap({ response: status(502) })).toThrow(
        expect.objectContaining({ message: 'Request failed (502)', statusCode: 502 }),
      );
    });
  });
});
