import { Resvg } from '@resvg/resvg-js';

/** Escapes text for XML content and attribute values. */
const xml = (text: string) =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** One colour per certification, dark enough for white text at WCAG AA (contrast ≥ 4.5:1). */
const COLOURS: Record<string, string> = { AIDA: '#1d4f91', CPAP: '#14633a', CPAA: '#6b2a7a' };

/**
 * The badge image of a credential (the Open Badge's `image`): a seal with the certification's code, its name and
 * the framework, as an SVG that names itself for screen readers (role="img" with a title).
 */
export function badgeSvg(b: { code: string; name: string; framework: string; issuerName: string }): string {
  const colour = COLOURS[b.code] ?? '#333333';
  const title = `${b.name} (${b.code}) badge, ${b.framework}, issued by ${b.issuerName}`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img" aria-labelledby="t">
  <title id="t">${xml(title)}</title>
  <circle cx="200" cy="200" r="190" fill="${colour}"/>
  <circle cx="200" cy="200" r="168" fill="none" stroke="#ffffff" stroke-width="6" stroke-dasharray="4 10"/>
  <circle cx="200" cy="200" r="150" fill="#ffffff"/>
  <text x="200" y="150" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="22" fill="${colour}">${xml(b.framework)}</text>
  <text x="200" y="225" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="72" font-weight="700" fill="${colour}">${xml(b.code)}</text>
  <text x="200" y="275" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="16" fill="#222222">${xml(b.name.length > 40 ? `${b.name.slice(0, 39)}…` : b.name)}</text>
</svg>
`;
}

/**
 * The badge as a PNG (1200 × 1200 unless asked otherwise: the certificate PDF embeds a smaller one), for link previews: LinkedIn, X and most chat apps do not show SVG as
 * og:image. Text is drawn with the system's sans-serif fonts (Helvetica, Arial or, on Debian, DejaVu Sans).
 */
export function badgePng(svg: string, width = 1200): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: width }, font: { loadSystemFonts: true } }).render().asPng());
}
