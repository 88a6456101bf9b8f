import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SpaRoutes } from './spa-routes';

describe('SpaRoutes', () => {
  const routes = new SpaRoutes(['/', '/login', '/verify/:number', '/candidate/aida/attempts/:attemptId/result', '/framework']);

  it('knows the listed addresses, a parameter standing for one segment', () => {
    expect(routes.has('/')).toBe(true);
    expect(routes.has('/login')).toBe(true);
    expect(routes.has('/login/')).toBe(true);
    expect(routes.has('/verify/PSF-7K2QM-X9D4T-R')).toBe(true);
    expect(routes.has('/candidate/aida/attempts/4f1c/result')).toBe(true);
  });

  it('does not know any other address', () => {
    expect(routes.has('/loginx')).toBe(false);
    expect(routes.has('/verify')).toBe(false);
    expect(routes.has('/verify/a/b')).toBe(false);
    expect(routes.has('/candidate/aida/attempts//result')).toBe(false);
    expect(routes.has('/framework.json')).toBe(false);
    expect(routes.has('/assets/missing.js')).toBe(false);
  });

  it('reads the list the SPA build ships, and none when the build has none', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'spa-routes-'));
    writeFileSync(path.join(dir, 'spa-routes.json'), JSON.stringify({ paths: ['/', '/login'] }));
    expect(SpaRoutes.fromFile(path.join(dir, 'spa-routes.json'))?.has('/login')).toBe(true);
    expect(SpaRoutes.fromFile(path.join(dir, 'missing.json'))).toBeNull();
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ paths: ['login'] }));
    expect(() => SpaRoutes.fromFile(path.join(dir, 'bad.json'))).toThrow(/must be a list of paths/);
  });
});
