import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { issueCertificateOn } from '../../../test/issued-certificate';
import { TestContext } from '../../../test/test-app';
import { APP_CONFIG, type AppConfig } from '../../infrastructure/config/app-config';

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta name="description" content="The SPA's own description" />
    <title>PSF Certification</title>
  </head>
  <body><div id="root"></div></body>
</html>
`;

let lastAddress = 0;
/** An address no other test has used (behind one trusted proxy): a rate-limit counter of its own, starting at zero. */
const freshAddress = () => `198.51.100.${(lastAddress = (lastAddress % 250) + 1)}`;

describe('the verify page /verify/:number, rendered by the server with its link-preview tags (SPA served)', () => {
  let ctx: TestContext;
  let webDist: string;

  beforeAll(async () => {
    // The application mounts the SPA only when asked to and when a build is there: a minimal build of our own.
    webDist = mkdtempSync(path.join(tmpdir(), 'psf-verify-page-'));
    writeFileSync(path.join(webDist, 'index.html'), INDEX_HTML);
    writeFileSync(path.join(webDist, 'spa-routes.json'), JSON.stringify({ paths: ['/', '/login', '/verify/:number'] }));
    const env = { SERVE_SPA: process.env.SERVE_SPA, WEB_DIST_DIR: process.env.WEB_DIST_DIR };
    process.env.SERVE_SPA = 'true';
    process.env.WEB_DIST_DIR = webDist;
    try {
      ctx = await TestContext.create();
    } finally {
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    ctx.app.set('trust proxy', 1); // one trusted proxy: the address it adds to X-Forwarded-For counts
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
    rmSync(webDist, { recursive: true, force: true });
  });

  const page = (url: string, address: string) => ctx.http.get(url).set('X-Forwarded-For', address);

  it("a certificate's page carries its link-preview tags; an unknown number is a 404 page", async () => {
    const { number } = await issueCertificateOn(ctx);
    const address = freshAddress();
    const found = await page(`/verify/${number}`, address).expect(200);
    expect(found.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(found.text).toMatch(/<meta property="og:title" content="[^"]+" \/>/);
    const unknown = await page('/verify/PSF-00000-00000-0', address).expect(404);
    expect(unknown.text).toContain('No certificate has the number PSF-00000-00000-0');
  });

  it('counts against the public rate limit: beyond it a short 429 in words with Retry-After, while other pages are still served', async () => {
    const { number } = await issueCertificateOn(ctx);
    const config = ctx.app.get<AppConfig>(APP_CONFIG);
    const limit = config.rateLimits.public;
    // An hour's window: it cannot roll over (and restart the count) while the test counts.
    config.rateLimits.public = { max: 3, windowSeconds: 3600 };
    try {
      const address = freshAddress();
      await page(`/verify/${number}`, address).expect(200);
      await page('/verify/PSF-00000-00000-0', address).expect(404); // an unknown number costs a query too
      await page(`/verify/${number}`, address).expect(200);

      const refused = await page(`/verify/${number}`, address).expect(429);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(3500);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refused.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(refused.text).toMatch(/^Too many verify page requests from your address; try again in \d+ seconds$/);
      expect((await page('/verify/PSF-00000-00000-0', address).expect(429)).text).not.toContain('<');

      // The rest of the SPA is not counted, and another address has its own allowance.
      expect((await page('/login', address).expect(200)).text).toContain('<div id="root">');
      await page(`/verify/${number}`, freshAddress()).expect(200);
    } finally {
      config.rateLimits.public = limit;
    }
  });
});
