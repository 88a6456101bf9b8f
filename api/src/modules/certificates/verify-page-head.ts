import type { RateLimitSpec } from '../../common/rate-limit/rate-limit.guard';

/**
 * The public limit on /verify/:number pages (each one looks the certificate up): counted like the API's
 * certificate checks, on a bucket of its own so that the page and the SPA's own request for the record do not
 * halve each other's allowance.
 */
export const VERIFY_PAGE_RATE_LIMIT: RateLimitSpec = {
  limit: 'public',
  bucket: 'public:verify-page',
  per: 'address',
  what: 'verify page requests from your address',
};

const html = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The SPA's index.html with the <title> and link-preview tags of one page: Open Graph tags as `property`,
 * the others (description, twitter:*) as `name`. Every value is escaped: holder names are user input.
 */
export function withHead(indexHtml: string, head: { title: string; meta: Record<string, string> }): string {
  const tags = Object.entries(head.meta)
    .map(([key, value]) => `<meta ${key.startsWith('og:') ? 'property' : 'name'}="${html(key)}" content="${html(value)}" />`)
    .join('\n    ');
  // A replacer function: a name with "$&" in it must not be read as a replacement pattern.
  const withoutDefaults = indexHtml.replace(/\s*<meta name="description"[^>]*>/, '');
  return withoutDefaults.replace(/<title>[^<]*<\/title>/, () => `<title>${html(head.title)} | PSF Certification</title>\n    ${tags}`);
}
