import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** The role the API, the worker and the app CLI connect as (created by migration 1765843400000, NOLOGIN). */
export const APP_ROLE = 'psf_app';

/**
 * The test password of psf_app on this cluster: derived from the owner's URL, so that every run against
 * the same cluster sets the same one and concurrent runs never lock each other out.
 */
function appRolePassword(ownerUrl: string): string {
  const cluster = new URL(ownerUrl);
  cluster.pathname = '/';
  cluster.search = '';
  return createHash('sha256').update(`psf_app test login:${cluster.toString()}`).digest('hex');
}

/** `ownerUrl` with psf_app's credentials (same host, port and database). */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = appRolePassword(ownerUrl);
  return url.toString();
}

/**
 * Lets psf_app log in (after the migrations created it). Several runs may do this at once on one
 * cluster; PostgreSQL can answer "tuple concurrently updated" to one of them, which is retried.
 */
export async function ensureAppRoleLogin(ownerUrl: string): Promise<void> {
  const password = appRolePassword(ownerUrl);
  const pg = new Client({ connectionString: ownerUrl });
  await pg.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await pg.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${password}'`);
        return;
      } catch (error) {
        if (attempt >= 5) throw error;
        await new Promise((r) => setTimeout(r, 100 * (attempt + 1)));
      }
    }
  } finally {
    await pg.end();
  }
}
