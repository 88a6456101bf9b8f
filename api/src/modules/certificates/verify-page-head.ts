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
