import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { usePublicFramework } from '../../../lib/programme';

const FORMATS = [
  { key: 'apa', label: 'APA' },
  { key: 'ieee', label: 'IEEE' },
  { key: 'bibtex', label: 'BibTeX' },
] as const;

/** The PSF itself: the eight domains and their criteria, its attribution, how to cite it and its versions. */
export function FrameworkPage() {
  const framework = usePublicFramework();
  const f = framework.data;
  useScrollToHash(Boolean(f));
  return (
    <Page title={f ? `${f.title} v${f.version}` : 'Production Safety Framework'}>
      {framework.isPending && <p role="status">Loading…</p>}
      {framework.error && <Alert>The framework could not be loaded: {framework.error.message}. Reload the page to try again.</Alert>}
      {f && (
        <>
          <p className="lead">
            Eight domains of practice for running AI safely in production, each with five criteria. Published by {f.publisher} ({f.year})
            under{' '}
            <a href={f.licenceUrl} rel="license noopener noreferrer">
              {f.licence.replace('CC-BY-', 'CC BY ')}
            </a>
            ; the source is <a href={f.url}>{f.url.replace(/^https?:\/\//, '')}</a>.
          </p>
          <p>
            <Link to="/self-assessment">Rate your own practice against the 40 criteria</Link>, no account needed.
          </p>
          <nav aria-labelledby="framework-contents">
            <h2 id="framework-contents">Domains</h2>
            <ol className="domain-list">
              {f.domains.map((d) => (
                <li key={d.code}>
                  <a href={`#${d.code}`}>
                    {d.code} {d.title}
                  </a>
                </li>
              ))}
            </ol>
          </nav>
          {f.domains.map((d) => (
            <section key={d.code} id={d.code} aria-labelledby={`${d.code}-title`} className="framework-domain" tabIndex={-1}>
              <h2 id={`${d.code}-title`}>
                {d.code} {d.title}
              </h2>
              <p>{d.summary}</p>
              <ul className="criteria-list">
                {d.criteria.map((c) => (
                  <li key={c.code}>
                    <span className="criterion-code">{c.code}</span> {c.text}
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <h2>Cite the framework</h2>
          {FORMATS.map(({ key, label }) => (
            <Citation key={key} label={label} text={f.citations[key]} />
          ))}
          <h2>Version history</h2>
          <table>
            <caption className="visually-hidden">Versions of the framework, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Year</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {f.versions.map((v) => (
                <tr key={v.version}>
                  <th scope="row">{v.version}</th>
                  <td>{v.year}</td>
                  <td>{v.changes}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>Attribution</h2>
          <p>{f.attribution}</p>
        </>
      )}
    </Page>
  );
}

/** One citation format, with a button that copies it (and says so). */
function Citation({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const id = `citation-${label.toLowerCase()}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <div className="citation">
      <h3 id={id}>{label}</h3>
      <pre aria-labelledby={id} tabIndex={0}>
        {text}
      </pre>
      <button type="button" className="button-secondary" onClick={() => void copy()} aria-describedby={id}>
        Copy the {label} citation
      </button>
      <span role="status" className="hint">
        {copied === 'yes'
          ? `${label} citation copied.`
          : copied === 'failed'
            ? 'Copying is not allowed here: select the text instead.'
            : ''}
      </span>
    </div>
  );
}

/**
 * The SPA renders the domains after the framework arrives, so the browser's own jump to `#D04` happened on an
 * empty page: once the content is there, the section named by the address is scrolled to and focused.
 */
function useScrollToHash(ready: boolean) {
  const { hash } = useLocation();
  useEffect(() => {
    if (!ready || !hash) return;
    const target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  }, [ready, hash]);
}
