import { withHead } from './verify-page-head';

const INDEX = `<!doctype html>
<html lang="en-GB">
  <head>
    <meta charset="UTF-8" />
    <meta name="description" content="Certification platform" />
    <title>PSF Certification</title>
  </head>
  <body><div id="root"></div></body>
</html>`;

describe('verify page head', () => {
  it('replaces the title and the default description, Open Graph tags as property, the rest as name', () => {
    const out = withHead(INDEX, { title: 'Ada: AIDA', meta: { description: 'd', 'og:title': 't', 'twitter:card': 'summary' } });
    expect(out).toContain('<title>Ada: AIDA | PSF Certification</title>');
    expect(out).not.toContain('Certification platform');
    expect(out).toContain('<meta name="description" content="d" />');
    expect(out).toContain('<meta property="og:title" content="t" />');
    expect(out).toContain('<meta name="twitter:card" content="summary" />');
    expect(out).toContain('<div id="root"></div>');
  });

  it('escapes what a holder typed as their name: no markup reaches the page', () => {
    const name = `"><script>alert(1)</script><meta name="x`;
    const out = withHead(INDEX, { title: name, meta: { 'og:title': name } });
    expect(out).not.toContain('<script>');
    expect(out).toContain('content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;meta name=&quot;x"');
    expect(out).toContain('<title>&quot;&gt;&lt;script&gt;');
    expect(withHead(INDEX, { title: 'A $& B', meta: {} })).toContain('<title>A $&amp; B | PSF Certification</title>');
  });
});
