import { existsSync, readFileSync } from 'node:fs';

/**
 * The addresses the SPA has a page for, from the `spa-routes.json` its build ships (web/public/, kept equal to
 * the route tree by a test of the SPA): `:name` matches one path segment. A trailing slash is ignored, as the
 * SPA's router ignores it.
 */
export class SpaRoutes {
  private readonly patterns: RegExp[];

  constructor(paths: string[]) {
    this.patterns = paths.map((p) => new RegExp(`^${p.split('/').map(segmentPattern).join('/')}$`));
  }

  /** The routes of the built SPA; null when the build has no list (every address then gets the SPA, as before). */
  static fromFile(file: string): SpaRoutes | null {
    if (!existsSync(file)) return null;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { paths?: unknown };
    if (!Array.isArray(parsed.paths) || !parsed.paths.every((p) => typeof p === 'string' && p.startsWith('/'))) {
      throw new Error(`${file}: "paths" must be a list of paths starting with /`);
    }
    return new SpaRoutes(parsed.paths as string[]);
  }

  has(pathname: string): boolean {
    const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
    return this.patterns.some((p) => p.test(path));
  }
}

function segmentPattern(segment: string): string {
  return segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
