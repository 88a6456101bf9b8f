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
      const kept = token(60_000);
      client.setAccessToken(kept);
      server = () => Promise.reject(new TypeError('Failed to fetch'));

      await expect(client.refreshSession()).resolves.toBe(false);
      expect(session.getItem(STORAGE_KEY)).toBe(kept);
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

    it('throws a generic message when the error has no body', () => {
      expect(() => client.unwrap({ response: status(502) })).toThrow(
        expect.objectContaining({ message: 'Request failed (502)', statusCode: 502 }),
      );
    });
  });
});
