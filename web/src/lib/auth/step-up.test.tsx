import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../test-support/memory-storage';

import type * as ClientModule from '../api/client';
import type * as StepUpModule from './step-up';

interface Sent {
  method: string;
  path: string;
  authorization: string | null;
  body: string;
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const STEP_UP_REQUIRED = { statusCode: 403, error: 'Forbidden', message: 'Confirm it is you', reason: 'step_up_required' };

/** A JWT-shaped token (the client reads only its payload's exp). */
const token = (name: string) => `h.${btoa(JSON.stringify({ sub: name, exp: Date.now() / 1000 + 900 }))}.s`;

describe('step-up', () => {
  let client: typeof ClientModule;
  let stepUp: typeof StepUpModule;
  let sent: Sent[];
  let server: (request: Sent) => Response | Promise<Response>;

  beforeEach(async () => {
    vi.stubGlobal('window', browserWindowShim());
    sent = [];
    server = () => json({}, 500);
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
    // Fresh module state (token, handler, registered methods), imported once `window` exists.
    vi.resetModules();
    client = await import('../api/client');
    stepUp = await import('./step-up');
  });

  describe('the API client', () => {
    const revoke = () =>
      client.api.POST('/api/admin/certificates/{number}/revoke', { params: { path: { number: 'PSF-1' } }, body: { reason: 'fraud' } });

    it('asks for a step-up on 403 step_up_required, then replays the request with its body', async () => {
      client.setAccessToken(token('admin'));
      let confirmed = false;
      const handler = vi.fn(async () => {
        confirmed = true;
        return true;
      });
      client.setStepUpHandler(handler);
      server = (r) =>
        r.path.endsWith('/revoke') ? (confirmed ? json({ status: 'revoked' }) : json(STEP_UP_REQUIRED, 403)) : json({}, 500);

      const result = await revoke();
      expect(handler).toHaveBeenCalledTimes(1);
      expect(result.response.status).toBe(200);
      expect(result.data).toEqual({ status: 'revoked' });
      expect(sent.map((r) => [r.method, r.path])).toEqual([
        ['POST', '/api/admin/certificates/PSF-1/revoke'],
        ['POST', '/api/admin/certificates/PSF-1/revoke'],
      ]);
      expect(JSON.parse(sent[1].body)).toEqual({ reason: 'fraud' });
    });

    it('gives the caller the 403 when the person cancels, without replaying', async () => {
      client.setStepUpHandler(async () => false);
      server = () => json(STEP_UP_REQUIRED, 403);

      const result = await revoke();
      expect(result.response.status).toBe(403);
      expect(result.error).toMatchObject({ reason: 'step_up_required' });
      expect(sent).toHaveLength(1);
    });

    it('leaves other 403s alone', async () => {
      const handler = vi.fn(async () => true);
      client.setStepUpHandler(handler);
      server = () => json({ statusCode: 403, error: 'Forbidden', message: 'Missing role' }, 403);

      expect((await revoke()).response.status).toBe(403);
      expect(handler).not.toHaveBeenCalled();
      expect(sent).toHaveLength(1);
    });

    it('takes a wrong step-up code as an answer: no refresh, no replay', async () => {
      client.setAccessToken(token('admin'));
      server = () => json({ statusCode: 401, error: 'Unauthorized', message: 'That code is not valid', reason: 'mfa_invalid' }, 401);

      const result = await client.api.POST('/api/me/step-up', { body: { otp: '123456' } });
      expect(result.response.status).toBe(401);
      expect(sent.map((r) => r.path)).toEqual(['/api/me/step-up']);
    });

    it("keeps the server's reason when the session ended by itself, until the next sign-in", async () => {
      const message = 'You were signed out after 30 minutes without activity. Sign in again to continue.';
      server = () => json({ statusCode: 401, error: 'Unauthorized', message, reason: 'session_idle' }, 401);

      await expect(client.refreshSession()).resolves.toBe(false);
      expect(client.sessionEndedNotice()).toBe(message);
      client.setAccessToken(token('again'));
      expect(client.sessionEndedNotice()).toBeNull();
    });

    it('gives no notice for an ordinary refusal', async () => {
      server = () => json({ statusCode: 401, error: 'Unauthorized', message: 'Your session has ended; sign in again' }, 401);
      await client.refreshSession();
      expect(client.sessionEndedNotice()).toBeNull();
    });
  });

  describe('createStepUpCoordinator', () => {
    it('opens one dialog for requests refused together, and answers them all', async () => {
      const open = vi.fn();
      const coordinator = stepUp.createStepUpCoordinator(open);
      const first = coordinator.request();
      const second = coordinator.request();
      expect(open).toHaveBeenCalledTimes(1);
      coordinator.settle(true);
      await expect(Promise.all([first, second])).resolves.toEqual([true, true]);

      const later = coordinator.request();
      expect(open).toHaveBeenCalledTimes(2);
      coordinator.settle(false);
      await expect(later).resolves.toBe(false);
    });
  });

  describe('StepUpDialog', () => {
    const render = (methods?: StepUpModule.StepUpMethod[]) =>
      renderToStaticMarkup(<stepUp.StepUpDialog open onConfirmed={() => undefined} onCancel={() => undefined} methods={methods} />);

    it('has nothing inside while closed (no field for a label to find)', () => {
      const html = renderToStaticMarkup(<stepUp.StepUpDialog open={false} onConfirmed={() => undefined} onCancel={() => undefined} />);
      expect(html).toMatch(/^<dialog[^>]*><\/dialog>$/);
    });

    it('is a dialog named by its heading and described by its explanation', () => {
      const html = render();
      const labelledBy = /<dialog[^>]*aria-labelledby="([^"]+)"/.exec(html)?.[1];
      const describedBy = /<dialog[^>]*aria-describedby="([^"]+)"/.exec(html)?.[1];
      expect(html).toContain(`<h2 id="${labelledBy}">Confirm it is you</h2>`);
      expect(html).toContain(`<p id="${describedBy}">`);
    });

    it('labels the code field and ties its hint to it', () => {
      const html = render();
      const inputId = /<label for="([^"]+)">Authentication code or recovery code<\/label>/.exec(html)?.[1];
      expect(inputId).toBeDefined();
      expect(html).toMatch(new RegExp(`<input id="${inputId}"[^>]*aria-describedby="${inputId}-hint"`));
      expect(html).toMatch(/autocomplete="one-time-code"/i);
    });

    it('offers Confirm and Cancel, and the other ways to confirm that were registered', () => {
      expect(render()).toMatch(/<button type="submit"[^>]*>Confirm<\/button>.*<button type="button"[^>]*>Cancel<\/button>/);

      const passkey: StepUpModule.StepUpMethod = { id: 'passkey', label: 'Use a passkey', run: async () => undefined };
      expect(render([passkey])).toMatch(/>Confirm<\/button><button type="button"[^>]*>Use a passkey<\/button><button[^>]*>Cancel</);
    });

    it('shows registered methods by default, until they are taken away', () => {
      const unregister = stepUp.registerStepUpMethod({ id: 'passkey', label: 'Use a passkey', run: async () => undefined });
      expect(render()).toContain('>Use a passkey</button>');
      unregister();
      expect(render()).not.toContain('Use a passkey');
    });
  });

  describe('stepUpErrorMessage', () => {
    it('explains a wrong code, and passes other messages on', () => {
      const wrong = Object.assign(new Error('That code is not valid'), { statusCode: 401, reason: 'mfa_invalid' });
      expect(stepUp.stepUpErrorMessage(wrong)).toMatch(/not right/);
      const throttled = Object.assign(new Error('Too many wrong codes; try again in 60 seconds'), { statusCode: 429 });
      expect(stepUp.stepUpErrorMessage(throttled)).toBe('Too many wrong codes; try again in 60 seconds');
    });
  });
});
