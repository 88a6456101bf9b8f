import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isValidElement } from 'react';
import type { RouteObject } from 'react-router';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../test-support/memory-storage';

let routes: RouteObject[];
let RequireRole: unknown;
beforeAll(async () => {
  // The pages and the role gate import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ routes } = await import('./routes'));
  ({ RequireRole } = await import('../components/require-role'));
});

type Gate = string[] | null;

/** Every path of the route tree with the roles of the nearest RequireRole above it (null: public). */
function paths(tree: RouteObject[], prefix = '', gate: Gate = null): Array<{ path: string; gate: Gate; lazy: boolean }> {
  return tree.flatMap((route) => {
    const element = route.element;
    const own =
      isValidElement<{ role: string | string[] }>(element) && element.type === RequireRole
        ? ([] as string[]).concat(element.props.role)
        : gate;
    const path = route.index ? prefix || '/' : route.path ? (route.path.startsWith('/') ? route.path : `${prefix}/${route.path}`) : prefix;
    const here = route.index || (route.path && !route.children) ? [{ path, gate: own, lazy: Boolean(route.lazy) }] : [];
    return [...here, ...(route.children ? paths(route.children, path, own) : [])];
  });
}

describe('routes', () => {
  const all = () => paths(routes);

  it('put every candidate, reviewer and admin page behind its role gate', () => {
    for (const { path, gate } of all()) {
      if (path.startsWith('/candidate')) expect([path, gate]).toEqual([path, ['candidate']]);
      if (path.startsWith('/admin')) expect([path, gate]).toEqual([path, ['admin']]);
      if (path.startsWith('/account')) expect([path, gate]).toEqual([path, ['candidate', 'reviewer', 'admin']]);
      if (path.startsWith('/reviewer/items')) expect([path, gate]).toEqual([path, ['reviewer', 'admin']]);
      else if (path.startsWith('/reviewer')) expect([path, gate]).toEqual([path, ['reviewer']]);
    }
  });

  it('keep only the public pages ungated, and load every gated page on demand', () => {
    expect(
      all()
        .filter((r) => r.gate === null)
        .map((r) => r.path),
    ).toEqual([
      '/',
      '/login',
      '/register',
      '/verify-email',
      '/confirm-email-change',
      '/forgot-password',
      '/reset-password',
      '/credentials/aida',
      '/credentials/cpap',
      '/credentials/cpaa',
      '/framework',
      '/verify',
      '/verify/:number',
      '/holders/:slug',
      '/self-assessment',
      '/*',
    ]);
    expect(all().filter((r) => r.gate !== null && !r.lazy)).toEqual([]);
  });

  it('route the pages the e-mails and the navigation link to', () => {
    const known = all().map((r) => r.path);
    for (const path of [
      '/candidate',
      '/candidate/aida/attempts/:attemptId/result',
      '/reviewer',
      '/reviewer/items/:itemId',
      '/admin',
      '/admin/mail/:id',
      '/verify-email',
      '/reset-password',
      '/confirm-email-change',
      '/admin/name-changes',
      '/account',
    ]) {
      expect(known).toContain(path);
    }
  });

  it('are listed, every one and nothing else, in public/spa-routes.json: the server answers 404 for any other address', () => {
    const listed: string[] = JSON.parse(readFileSync(path.resolve(__dirname, '../../public/spa-routes.json'), 'utf8')).paths;
    const routed = all()
      .map((r) => r.path)
      .filter((p) => p !== '/*');
    expect([...listed].sort()).toEqual([...routed].sort());
  });
});
